using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Firmware.Cabinet
{
    /// <summary>The parts of one compartment: its latch, its door contact and its RFID reader.</summary>
    public class CompartmentHardware
    {
        /// <summary>1-based compartment number, as printed on the cabinet and named in cabinet tokens.</summary>
        public int Number;

        public ILockActuator Latch;

        /// <summary>Active = door open.</summary>
        public ISwitch Door;

        public ISealTagReader TagReader;
    }
}
