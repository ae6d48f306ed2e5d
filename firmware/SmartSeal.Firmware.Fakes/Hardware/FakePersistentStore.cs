using System.Collections;

namespace SmartSeal.Firmware.Hardware.Fakes
{
    /// <summary>
    /// In-memory flash with atomic records and power-cut injection: after
    /// <see cref="CutPowerAfter"/> more writes or deletes, the next one throws
    /// <see cref="PowerCutException"/> without taking effect, and so does every later one until
    /// <see cref="RestorePower"/>. The content survives, like flash does.
    /// </summary>
    public class FakePersistentStore : IPersistentStore
    {
        private readonly Hashtable _records = new Hashtable();
        private readonly long _capacityBytes;
        private int _writesUntilCut = -1;
        private bool _powerOff;

        public FakePersistentStore(long capacityBytes)
        {
            _capacityBytes = capacityBytes;
        }

        /// <summary>Number of writes and deletes performed, for tests that cut power at every step.</summary>
        public int MutationCount { get; private set; }

        public long FreeBytes
        {
            get { return _capacityBytes - UsedBytes(); }
        }

        public void CutPowerAfter(int mutations)
        {
            _writesUntilCut = mutations;
        }

        public void RestorePower()
        {
            _writesUntilCut = -1;
            _powerOff = false;
        }

        public byte[] Read(string name)
        {
            byte[] data = (byte[])_records[name];
            if (data == null)
            {
                return null;
            }

            byte[] copy = new byte[data.Length];
            System.Array.Copy(data, copy, data.Length);
            return copy;
        }

        public void Write(string name, byte[] data)
        {
            BeforeMutation();
            byte[] copy = new byte[data.Length];
            System.Array.Copy(data, copy, data.Length);
            byte[] old = (byte[])_records[name];
            long needed = data.Length - (old == null ? 0 : old.Length);
            if (needed > FreeBytes)
            {
                throw new System.IO.IOException("flash full", null);
            }

            _records[name] = copy;
        }

        public void Delete(string name)
        {
            BeforeMutation();
            _records.Remove(name);
        }

        public string[] List(string prefix)
        {
            ArrayList names = new ArrayList();
            foreach (object key in _records.Keys)
            {
                string name = (string)key;
                if (name.StartsWith(prefix))
                {
                    names.Add(name);
                }
            }

            return (string[])names.ToArray(typeof(string));
        }

        private void BeforeMutation()
        {
            if (_powerOff)
            {
                throw new PowerCutException();
            }

            if (_writesUntilCut == 0)
            {
                _powerOff = true;
                throw new PowerCutException();
            }

            if (_writesUntilCut > 0)
            {
                _writesUntilCut--;
            }

            MutationCount++;
        }

        private long UsedBytes()
        {
            long used = 0;
            foreach (object key in _records.Keys)
            {
                used += ((byte[])_records[key]).Length + 64; // + a directory entry's overhead
            }

            return used;
        }
    }
}
