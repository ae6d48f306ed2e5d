using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Storage
{
    /// <summary>Counts boots in a flash record (reported in the boot event: a device that reboots in a loop shows up in the cloud).</summary>
    public static class BootCounter
    {
        private const string RecordName = "boots";

        public static long Increment(IPersistentStore store)
        {
            byte[] data = store.Read(RecordName);
            long count = 0;
            if (data != null && data.Length == 8)
            {
                for (int i = 0; i < 8; i++)
                {
                    count = (count << 8) | data[i];
                }
            }

            count++;
            byte[] next = new byte[8];
            for (int i = 0; i < 8; i++)
            {
                next[i] = (byte)(count >> (56 - (8 * i)));
            }

            store.Write(RecordName, next);
            return count;
        }
    }
}
