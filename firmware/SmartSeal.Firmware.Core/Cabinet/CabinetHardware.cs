using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Firmware.Cabinet
{
    /// <summary>The parts of the cabinet the controller drives (drivers on the device, fakes in simulators).</summary>
    public class CabinetHardware
    {
        public CompartmentHardware[] Compartments;

        /// <summary>Photographs the hand-over area in front of the compartments.</summary>
        public ICamera Camera;

        /// <summary>Records a clip of the hand-over area around each hand-over and return; null on boards without a video camera.</summary>
        public IClipRecorder ClipRecorder;

        public IIndicator Indicator;

        /// <summary>The cabinet case's tamper loop (active = opened or cut).</summary>
        public ISwitch Tamper;

        public IClock Clock;

        public ICloudLink Link;

        public IPersistentStore Flash;
    }
}
