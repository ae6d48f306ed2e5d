namespace SmartSeal.Firmware.Hardware
{
    public interface IBattery
    {
        int MilliVolts { get; }

        /// <summary>0..100, from the discharge curve of the cell.</summary>
        int Percent { get; }

        bool IsCharging { get; }
    }
}
