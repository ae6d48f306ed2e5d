using SmartSeal.Firmware.Device;

namespace SmartSeal.Firmware.Lock
{
    /// <summary>The result of one lock step: the new state and the effects to carry out, in order.</summary>
    public class LockTransition : Transition
    {
        public LockTransition(LockState state)
        {
            State = state;
        }

        public LockState State { get; private set; }
    }
}
