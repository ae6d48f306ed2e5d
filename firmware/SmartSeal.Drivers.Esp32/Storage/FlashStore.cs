using System.IO;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Storage
{
    /// <summary>
    /// Records as files on the ESP32's internal flash drive (<c>I:\</c>), each write atomic:
    /// the new content goes to <c>tmp\name</c>, is moved to <c>new\name</c> once complete, then
    /// replaces <c>rec\name</c>. A power cut leaves either the old record, or a complete
    /// <c>new\name</c> that <see cref="Recover"/> (run at start-up) moves into place; a torn
    /// <c>tmp\name</c> is simply deleted. A move is one directory-entry update on the file system.
    /// </summary>
    public class FlashStore : IPersistentStore
    {
        private readonly string _root;
        private readonly string _records;
        private readonly string _temporary;
        private readonly string _complete;
        private readonly long _capacityBytes;

        /// <param name="root">E.g. <c>I:\smartseal</c>.</param>
        /// <param name="capacityBytes">The share of the drive the records may use (the drive also holds device.json and logs).</param>
        public FlashStore(string root, long capacityBytes)
        {
            _root = root;
            _records = Path.Combine(root, "rec");
            _temporary = Path.Combine(root, "tmp");
            _complete = Path.Combine(root, "new");
            _capacityBytes = capacityBytes;
            Directory.CreateDirectory(_records);
            Directory.CreateDirectory(_temporary);
            Directory.CreateDirectory(_complete);
            Recover();
        }

        public string Root
        {
            get { return _root; }
        }

        public long FreeBytes
        {
            get
            {
                long used = 0;
                string[] files = Directory.GetFiles(_records);
                for (int i = 0; i < files.Length; i++)
                {
                    used += new FileInfo(files[i]).Length;
                }

                return used >= _capacityBytes ? 0 : _capacityBytes - used;
            }
        }

        public byte[] Read(string name)
        {
            string path = Path.Combine(_records, name);
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }

        public void Write(string name, byte[] data)
        {
            string temporary = Path.Combine(_temporary, name);
            string complete = Path.Combine(_complete, name);
            DeleteIfExists(temporary);
            using (FileStream stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(data, 0, data.Length);
                stream.Flush();
            }

            DeleteIfExists(complete);
            File.Move(temporary, complete);
            Install(name);
        }

        public void Delete(string name)
        {
            DeleteIfExists(Path.Combine(_complete, name));
            DeleteIfExists(Path.Combine(_records, name));
        }

        public string[] List(string prefix)
        {
            string[] files = Directory.GetFiles(_records);
            int count = 0;
            for (int i = 0; i < files.Length; i++)
            {
                files[i] = Path.GetFileName(files[i]);
                if (files[i].StartsWith(prefix))
                {
                    files[count++] = files[i];
                }
            }

            string[] names = new string[count];
            System.Array.Copy(files, names, count);
            return names;
        }

        /// <summary>Finishes writes a power cut interrupted after the new content was complete; drops torn ones.</summary>
        public void Recover()
        {
            string[] torn = Directory.GetFiles(_temporary);
            for (int i = 0; i < torn.Length; i++)
            {
                File.Delete(torn[i]);
            }

            string[] complete = Directory.GetFiles(_complete);
            for (int i = 0; i < complete.Length; i++)
            {
                Install(Path.GetFileName(complete[i]));
            }
        }

        private void Install(string name)
        {
            string record = Path.Combine(_records, name);
            DeleteIfExists(record);
            File.Move(Path.Combine(_complete, name), record);
        }

        private static void DeleteIfExists(string path)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }
}
