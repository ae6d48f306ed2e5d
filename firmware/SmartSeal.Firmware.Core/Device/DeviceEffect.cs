using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Firmware.Device
{
    public enum DeviceEffectKind
    {
        /// <summary>Write the persisted fields of the new state to flash (always before Unlock).</summary>
        Persist = 0,

        /// <summary>Release the bolt or latch (the lock's, or the compartment's).</summary>
        Unlock = 1,

        Lock = 2,

        /// <summary>Take a photo for the attempt or hand-over; the controller reports the photo id back as an input.</summary>
        TakePhoto = 3,

        /// <summary>Send an event through the outbox.</summary>
        Emit = 4,

        Indicate = 5,
    }

    /// <summary>
    /// Something a controller must do, in order, after a state machine's transition. The machines
    /// only describe effects; controllers carry them out on hardware, flash and the outbox.
    /// </summary>
    public class DeviceEffect
    {
        public DeviceEffectKind Kind;

        public PhotoPurpose Purpose;

        public string AttemptId;

        public MessageBody Body;

        /// <summary>Emit only: must never be dropped (stamps, refusals, alarms).</summary>
        public bool Critical;

        public IndicatorPattern Pattern;

        /// <summary>Which compartment (cabinet effects); 0 for the lock.</summary>
        public int Compartment;
    }
}
