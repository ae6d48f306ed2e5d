namespace SmartSeal.Drivers.Esp32.Inputs
{
    /// <summary>An input that is sampled periodically by <see cref="InputScanner"/> rather than interrupt-driven.</summary>
    public interface IPolledInput
    {
        void Poll(long uptimeMs);
    }
}
