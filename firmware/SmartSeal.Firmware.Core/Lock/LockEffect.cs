using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Firmware.Lock
{
    public enum LockEffectKind
    {
        /// <summary>Write the persisted fields of the new state to flash (always before Unlock).</summary>
        Persist = 0,

        Unlock = 1,

        Lock = 2,

        /// <summary>Take a photo for the attempt; the controller answers with BeforePhotoTaken/PhotoFailed for Before photos.</summary>
        TakePhoto = 3,

        /// <summary>Send an event through the outbox.</summary>
        Emit = 4,

        Indicate = 5,
    }

    /// <summary>Something the controller must do, in order, after a transition.</summary>
    public class LockEffect
    {
        public LockEffectKind Kind;

        public PhotoPurpose Purpose;

        public string AttemptId;

        public MessageBody Body;

        /// <summary>Emit only: must never be dropped (stamps, refusals, alarms).</summary>
        public bool Critical;

        public IndicatorPattern Pattern;
    }
}
