using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Firmware.Lock
{
    /// <summary>The parts of the portable lock the controller drives (drivers on the device, fakes in simulators).</summary>
    public class LockHardware
    {
        public ILockActuator Bolt;
        public ISwitch Button;
        public ISwitch StampSwitch;
        public ISwitch Tamper;
        public ICamera Camera;
        public IIndicator Indicator;
        public IClock Clock;
        public ICloudLink Link;
        public IPersistentStore Flash;

        /// <summary>Optional: reads the tag of the seal held in the lock (null on boards without a reader).</summary>
        public ISealTagReader SealTag;
    }
}
