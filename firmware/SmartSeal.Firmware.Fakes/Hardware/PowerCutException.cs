using System;

namespace SmartSeal.Firmware.Hardware.Fakes
{
    /// <summary>Thrown by fakes to simulate the power failing at that instant.</summary>
    public class PowerCutException : Exception
    {
        public PowerCutException()
            : base("power cut")
        {
        }
    }
}
