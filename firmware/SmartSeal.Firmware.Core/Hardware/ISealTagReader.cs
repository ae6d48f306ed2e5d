namespace SmartSeal.Firmware.Hardware
{
    /// <summary>
    /// Reads the RFID tag fixed to a seal (MFRC522 per compartment in the cabinet, one in the lock).
    /// </summary>
    public interface ISealTagReader
    {
        /// <summary>
        /// The tag id in upper-case hex, <see cref="TagReading.None"/> when no tag is in the field, or
        /// <see cref="TagReading.Unreadable"/> when the reader or the tag fails.
        /// </summary>
        string Read();
    }

    public static class TagReading
    {
        public const string None = "";

        public const string Unreadable = "?";
    }
}
