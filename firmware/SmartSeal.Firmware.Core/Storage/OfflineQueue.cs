using System;
using System.Collections;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Firmware.Storage
{
    /// <summary>
    /// The device's outbox on flash. Every event and telemetry envelope is written here, under its
    /// sequence number, before it is published, and deleted only when the cloud acknowledges that
    /// seq; after a reconnect or reboot the rest is replayed in seq order. Also owns the sequence
    /// counter, so a seq is never reused, even across power cuts at any point.
    ///
    /// Bounded: at most <c>maxRecords</c> records; the last <c>criticalReserve</c> places are kept
    /// for critical messages (stamps, alarms, refusals). When full, the oldest telemetry is dropped
    /// first; critical messages are never dropped — when there is no room for one, Enqueue says
    /// Full and the caller must not perform the action it would report (no stamp without a record).
    /// </summary>
    public class OfflineQueue
    {
        private const string RecordPrefix = "q";
        private const string CounterName = "seq";
        private const int SeqDigits = 12;

        private readonly IPersistentStore _store;
        private readonly int _maxRecords;
        private readonly int _criticalReserve;

        // Index of what is on flash, ascending by seq (parallel lists; no generics on the device).
        private readonly ArrayList _seqs = new ArrayList();
        private readonly ArrayList _critical = new ArrayList();
        private int _criticalCount;
        private long _nextSeq = 1;
        private int _droppedTelemetry;

        public OfflineQueue(IPersistentStore store, int maxRecords, int criticalReserve)
        {
            if (maxRecords < 2 || criticalReserve < 1 || criticalReserve >= maxRecords)
            {
                throw new ArgumentOutOfRangeException("criticalReserve");
            }

            _store = store;
            _maxRecords = maxRecords;
            _criticalReserve = criticalReserve;
        }

        /// <summary>The seq the next enqueued message must carry.</summary>
        public long NextSeq
        {
            get { return _nextSeq; }
        }

        public int Count
        {
            get { return _seqs.Count; }
        }

        public int CriticalCount
        {
            get { return _criticalCount; }
        }

        /// <summary>Telemetry records dropped to make room since boot (reported in telemetry).</summary>
        public int DroppedTelemetry
        {
            get { return _droppedTelemetry; }
        }

        /// <summary>Rebuilds the index and the counter from flash. Call once at boot.</summary>
        public void Load()
        {
            _seqs.Clear();
            _critical.Clear();
            _criticalCount = 0;
            string[] names = _store.List(RecordPrefix);
            long[] seqs = new long[names.Length];
            bool[] critical = new bool[names.Length];
            int n = 0;
            for (int i = 0; i < names.Length; i++)
            {
                long seq = ParseRecordName(names[i]);
                if (seq <= 0)
                {
                    continue;
                }

                seqs[n] = seq;
                critical[n] = names[i][names[i].Length - 1] == 'c';
                n++;
            }

            SortBySeq(seqs, critical, n);
            long highest = 0;
            for (int i = 0; i < n; i++)
            {
                _seqs.Add(seqs[i]);
                _critical.Add(critical[i]);
                if (critical[i])
                {
                    _criticalCount++;
                }

                highest = seqs[i];
            }

            long counter = ReadCounter();
            _nextSeq = counter > highest + 1 ? counter : highest + 1;
            if (_nextSeq != counter)
            {
                // A cut fell between a record and the counter: fix the counter now, before the
                // record can be acknowledged and deleted, or its seq would be handed out again.
                WriteCounter();
            }
        }

        /// <summary>True when a critical message could be stored now (ask before acting).</summary>
        public bool HasRoomForCritical
        {
            get { return _criticalCount < _maxRecords; }
        }

        /// <summary>
        /// Stores an envelope signed with seq = <see cref="NextSeq"/> and advances the counter.
        /// </summary>
        public EnqueueResult Enqueue(long seq, bool critical, int topicKind, byte[] envelope)
        {
            if (seq != _nextSeq)
            {
                throw new ArgumentException("envelope must carry NextSeq", "seq");
            }

            bool dropped = false;
            int limit = critical ? _maxRecords : _maxRecords - _criticalReserve;
            while (_seqs.Count >= limit)
            {
                if (!DropOldestTelemetry())
                {
                    return EnqueueResult.Full;
                }

                dropped = true;
            }

            byte[] record = new byte[envelope.Length + 1];
            record[0] = (byte)topicKind;
            Array.Copy(envelope, 0, record, 1, envelope.Length);
            try
            {
                _store.Write(RecordName(seq, critical), record);
            }
            catch (System.IO.IOException)
            {
                return EnqueueResult.StorageFailed;
            }

            _seqs.Add(seq);
            _critical.Add(critical);
            if (critical)
            {
                _criticalCount++;
            }

            _nextSeq = seq + 1;

            // The record already proves the seq is used (Load takes the highest record), so a cut
            // before this write loses nothing; the counter matters once records are acknowledged.
            WriteCounter();
            return dropped ? EnqueueResult.StoredDroppedTelemetry : EnqueueResult.Stored;
        }

        /// <summary>The seq of the pending message at <paramref name="index"/> (0 = oldest), without reading flash.</summary>
        public long SeqAt(int index)
        {
            return (long)_seqs[index];
        }

        /// <summary>The pending message at <paramref name="index"/> (0 = oldest), read from flash.</summary>
        public QueuedMessage Get(int index)
        {
            long seq = (long)_seqs[index];
            bool critical = (bool)_critical[index];
            byte[] record = _store.Read(RecordName(seq, critical));
            if (record == null || record.Length < 2)
            {
                return null;
            }

            byte[] envelope = new byte[record.Length - 1];
            Array.Copy(record, 1, envelope, 0, envelope.Length);
            return new QueuedMessage(seq, critical, record[0], envelope);
        }

        /// <summary>Removes <paramref name="seq"/> after the cloud acknowledged it. Unknown seqs are ignored.</summary>
        public bool Acknowledge(long seq)
        {
            int index = IndexOf(seq);
            if (index < 0)
            {
                return false;
            }

            bool critical = (bool)_critical[index];
            _store.Delete(RecordName(seq, critical));
            RemoveAt(index);
            return true;
        }

        private bool DropOldestTelemetry()
        {
            for (int i = 0; i < _seqs.Count; i++)
            {
                if (!(bool)_critical[i])
                {
                    _store.Delete(RecordName((long)_seqs[i], false));
                    RemoveAt(i);
                    _droppedTelemetry++;
                    return true;
                }
            }

            return false;
        }

        private void RemoveAt(int index)
        {
            if ((bool)_critical[index])
            {
                _criticalCount--;
            }

            _seqs.RemoveAt(index);
            _critical.RemoveAt(index);
        }

        private int IndexOf(long seq)
        {
            for (int i = 0; i < _seqs.Count; i++)
            {
                if ((long)_seqs[i] == seq)
                {
                    return i;
                }
            }

            return -1;
        }

        private void WriteCounter()
        {
            _store.Write(CounterName, System.Text.Encoding.UTF8.GetBytes(_nextSeq.ToString()));
        }

        private long ReadCounter()
        {
            byte[] data = _store.Read(CounterName);
            if (data == null)
            {
                return 1;
            }

            long value = 0;
            for (int i = 0; i < data.Length; i++)
            {
                if (data[i] < '0' || data[i] > '9' || i >= 18)
                {
                    return 1;
                }

                value = (value * 10) + (data[i] - '0');
            }

            return value;
        }

        private static string RecordName(long seq, bool critical)
        {
            return RecordPrefix + seq.ToString().PadLeft(SeqDigits, '0') + (critical ? "c" : "t");
        }

        /// <summary>The seq in a record name, or -1 when the name is not one of ours.</summary>
        private static long ParseRecordName(string name)
        {
            if (name.Length != SeqDigits + 2)
            {
                return -1;
            }

            char kind = name[name.Length - 1];
            if (kind != 'c' && kind != 't')
            {
                return -1;
            }

            long value = 0;
            for (int i = 1; i <= SeqDigits; i++)
            {
                char c = name[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                value = (value * 10) + (c - '0');
            }

            return value;
        }

        private static void SortBySeq(long[] seqs, bool[] critical, int count)
        {
            // Insertion sort: the store lists in directory order, which is nearly sorted already.
            for (int i = 1; i < count; i++)
            {
                long seq = seqs[i];
                bool flag = critical[i];
                int j = i - 1;
                while (j >= 0 && seqs[j] > seq)
                {
                    seqs[j + 1] = seqs[j];
                    critical[j + 1] = critical[j];
                    j--;
                }

                seqs[j + 1] = seq;
                critical[j + 1] = flag;
            }
        }
    }
}
