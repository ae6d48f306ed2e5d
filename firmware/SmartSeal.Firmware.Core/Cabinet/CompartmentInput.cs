using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Firmware.Cabinet
{
    public enum CompartmentInputKind
    {
        /// <summary>A dispense command whose envelope and token signature were verified.</summary>
        Dispense = 0,

        AcceptReturn = 1,

        DoorChanged = 2,

        TagRead = 3,

        Tick = 4,

        PhotoTaken = 5,

        /// <summary>The cabinet was disabled: a released compartment whose door is still shut re-latches.</summary>
        Disabled = 6,
    }

    public class CompartmentInput
    {
        public CompartmentInputKind Kind;

        public long UptimeMs;

        /// <summary>Whether the cabinet is enabled (remote disable refuses every dispense).</summary>
        public bool Enabled;

        /// <summary>Whether the cabinet's case is open (tamper): refuses every dispense and return.</summary>
        public bool Tampered;

        /// <summary>Whether the outbox can still record critical events (no hand-over without a record).</summary>
        public bool CanRecord;

        /// <summary>Dispense: the verified cabinet token, and whether its jti was used before (single use).</summary>
        public UseToken Token;

        public bool TokenAlreadyUsed;

        public string SealId;

        public string Tag;

        public bool DoorOpen;

        public string PhotoId;

        public string CommandId;

        public static CompartmentInput Of(CompartmentInputKind kind, long uptimeMs)
        {
            CompartmentInput input = new CompartmentInput();
            input.Kind = kind;
            input.UptimeMs = uptimeMs;
            input.Enabled = true;
            input.CanRecord = true;
            return input;
        }
    }
}
