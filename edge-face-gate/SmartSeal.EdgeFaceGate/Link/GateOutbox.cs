using System.Globalization;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.EdgeFaceGate.Link;

/// <summary>
/// The gate's durable send queue in its state folder: the last used seq (<c>seq</c>) and every
/// signed envelope not yet acknowledged (<c>outbox/{seq}.{topic}</c>). A restart continues after
/// the last seq (the cloud drops a reused seq as a duplicate, which would lose a decision) and
/// resends what the cloud never acknowledged.
/// </summary>
public sealed class GateOutbox
{
    private readonly string _seqFile;
    private readonly string _folder;
    private readonly object _gate = new();
    private long _seq;

    public GateOutbox(string stateFolder)
    {
        Directory.CreateDirectory(stateFolder);
        _seqFile = Path.Combine(stateFolder, "seq");
        _folder = Path.Combine(stateFolder, "outbox");
        Directory.CreateDirectory(_folder);
        _seq = File.Exists(_seqFile) ? long.Parse(File.ReadAllText(_seqFile).Trim(), CultureInfo.InvariantCulture) : 0;
    }

    public long LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _seq;
            }
        }
    }

    /// <summary>Takes the next seq and writes it down before it is used (write to a temp file, then rename).</summary>
    public long NextSeq()
    {
        lock (_gate)
        {
            long seq = _seq + 1;
            string temp = _seqFile + ".tmp";
            File.WriteAllText(temp, seq.ToString(CultureInfo.InvariantCulture));
            File.Move(temp, _seqFile, overwrite: true);
            _seq = seq;
            return seq;
        }
    }

    public void Add(long seq, TopicKind topic, byte[] envelope)
    {
        string path = Path.Combine(_folder, $"{seq:D12}.{topic}");
        File.WriteAllBytes(path + ".tmp", envelope);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Forgets acknowledged envelopes; returns how many were still waiting.</summary>
    public int Acknowledge(IEnumerable<long> seqs)
    {
        int removed = 0;
        foreach (long seq in seqs)
        {
            foreach (string file in Directory.EnumerateFiles(_folder, $"{seq:D12}.*"))
            {
                if (!file.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    File.Delete(file);
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>Unacknowledged envelopes in seq order.</summary>
    public IReadOnlyList<(long Seq, TopicKind Topic, byte[] Envelope)> Pending()
    {
        var pending = new List<(long, TopicKind, byte[])>();
        foreach (string file in Directory.EnumerateFiles(_folder).Order(StringComparer.Ordinal))
        {
            string[] parts = Path.GetFileName(file).Split('.');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long seq) && Enum.TryParse(parts[1], out TopicKind topic))
            {
                byte[] envelope;
                try
                {
                    envelope = File.ReadAllBytes(file);
                }
                catch (FileNotFoundException)
                {
                    // Acknowledged (deleted by the link's receive thread) between listing and reading: no longer pending.
                    continue;
                }

                pending.Add((seq, topic, envelope));
            }
        }

        return pending;
    }
}
