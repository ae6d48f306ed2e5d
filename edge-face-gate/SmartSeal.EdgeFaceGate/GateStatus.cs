namespace SmartSeal.EdgeFaceGate;

/// <summary>One line of the gate's decision log (and of the status page): never the face, only the outcome.</summary>
public sealed record DecisionLogEntry(long AtMs, DecisionState State, string? Subject, float Score, float Margin, float? Liveness, int Frames, string Reason, long? Seq, string? PhotoId)
{
    public override string ToString() => State == DecisionState.Accepted
        ? $"{DateTimeOffset.FromUnixTimeMilliseconds(AtMs):u} ACCEPTED {Subject} score={Score:0.000} margin={Margin:0.000} liveness={Liveness:0.000} frames={Frames} seq={Seq} photo={PhotoId}"
        : $"{DateTimeOffset.FromUnixTimeMilliseconds(AtMs):u} {State.ToString().ToUpperInvariant()} frames={Frames}: {Reason}";
}

/// <summary>What the status page shows: the input, the template set, the link and the last decisions.</summary>
public sealed class GateStatus
{
    private readonly object _gate = new();
    private readonly LinkedList<DecisionLogEntry> _recent = new();

    public const int RecentKept = 20;

    public string Input { get; set; } = "-";
    public string InputState { get; set; } = "starting";
    public long Frames { get; set; }
    public long UnreadableFrames { get; set; }
    public string? CabinetId { get; set; }
    public int GalleryPeople { get; set; }
    public int GalleryTemplates { get; set; }
    public long? LastSyncMs { get; set; }
    public int LastSyncBytes { get; set; }
    public string SyncState { get; set; } = "not synced";
    public bool LinkConnected { get; set; }
    public int OutboxPending { get; set; }

    public void Record(DecisionLogEntry entry)
    {
        lock (_gate)
        {
            _recent.AddFirst(entry);
            while (_recent.Count > RecentKept)
            {
                _recent.RemoveLast();
            }
        }
    }

    public DecisionLogEntry[] Recent()
    {
        lock (_gate)
        {
            return _recent.ToArray();
        }
    }
}
