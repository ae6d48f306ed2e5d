namespace SmartSeal.Drivers.Esp32.Expander
{
    /// <summary>One I²C device's transfers as a driver needs them; false when the device did not take the whole transfer.</summary>
    public interface II2cChannel
    {
        bool Write(byte[] frame);

        /// <summary>Writes <paramref name="write"/> then, with a repeated start, reads <paramref name="read"/>.Length bytes.</summary>
        bool WriteRead(byte[] write, byte[] read);
    }
}
