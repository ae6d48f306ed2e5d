namespace SmartSeal.Firmware.Hardware
{
    /// <summary>
    /// Small named records on flash (`I:\` on the ESP32). Every write is atomic: after a power cut
    /// a record holds either its old or its new content, never a mix (drivers write a temporary
    /// file and rename it). Names are [a-z0-9._-], at most 32 characters.
    /// </summary>
    public interface IPersistentStore
    {
        /// <summary>The record's bytes, or null when it does not exist.</summary>
        byte[] Read(string name);

        void Write(string name, byte[] data);

        void Delete(string name);

        /// <summary>Names of the records that start with <paramref name="prefix"/>, in no particular order.</summary>
        string[] List(string prefix);

        /// <summary>Bytes still free for records.</summary>
        long FreeBytes { get; }
    }
}
