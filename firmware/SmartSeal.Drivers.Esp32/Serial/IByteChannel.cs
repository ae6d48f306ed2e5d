namespace SmartSeal.Drivers.Esp32.Serial
{
    /// <summary>
    /// The bytes of a UART as a driver needs them: write a frame, read what arrives before the line
    /// falls silent, drop stale input. A driver written against this is testable byte by byte.
    /// </summary>
    public interface IByteChannel
    {
        void Write(byte[] buffer, int offset, int count);

        /// <summary>Reads up to <paramref name="count"/> bytes; 0 when nothing arrives for <paramref name="silenceMs"/>.</summary>
        int Read(byte[] buffer, int offset, int count, int silenceMs);

        /// <summary>Waits <paramref name="settleMs"/> (a boot banner, a late reply), then drops everything received.</summary>
        void Discard(int settleMs);
    }
}
