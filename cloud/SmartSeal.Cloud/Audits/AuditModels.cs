namespace SmartSeal.Cloud.Audits;

/// <summary>Checklist line kinds: a sampled ledger entry, a before/after photo pair of a sampled stamp, a stocktake of an audited unit.</summary>
public static class AuditItemKinds
{
    public const string LedgerEntry = "ledger-entry";
    public const string PhotoPair = "photo-pair";
    public const string Stocktake = "stocktake";
}

/// <summary>Where a finding stands: recorded, rectification assigned to a unit, answered by it, closed (immutable).</summary>
public static class FindingStatus
{
    public const string Open = "open";
    public const string Rectifying = "rectifying";
    public const string Answered = "answered";
    public const string Closed = "closed";
}

/// <summary>Finding severities, mildest first (轻微 / 一般 / 严重).</summary>
public static class FindingSeverity
{
    public const string Minor = "minor";
    public const string Moderate = "moderate";
    public const string Severe = "severe";

    public static readonly IReadOnlyList<string> All = [Minor, Moderate, Severe];
}

/// <summary>An audit: the period [from, to], the units (each with its subtree), its checklist and findings.</summary>
public sealed record Audit(long Id, string Title, long FromMs, long ToMs, IReadOnlyList<string> UnitIds, long Seed, string OpenedBy, long OpenedMs,
    string? ClosedBy, long? ClosedMs, IReadOnlyList<AuditItem> Items, IReadOnlyList<AuditFinding> Findings)
{
    public bool Closed => ClosedMs is not null;
}

/// <summary>A checklist line: what to check (<see cref="Ref"/>: ledger entry id or inventory check id) and, once ticked, by whom and with what outcome.</summary>
public sealed record AuditItem(long Id, long Position, string Kind, string Ref, string? SealId, string? UnitId, long? AtMs,
    string? PhotoBefore, string? PhotoAfter, string? CheckedBy, long? CheckedMs, string? Outcome, string? Note);

/// <summary>A finding with its rectification: assigned to <see cref="RectifyUnit"/> by <see cref="DeadlineMs"/>, answered, then accepted (closed) or returned.</summary>
public sealed record AuditFinding(long Id, long AuditId, long? ItemId, string UnitId, string Severity, string Description, string RecordedBy, long RecordedMs,
    string Status, string? RectifyUnit, long? DeadlineMs, long? AssignedMs, string? Answer, string? AnsweredBy, long? AnsweredMs, string? ReviewNote, long Returns,
    string? ClosedBy, long? ClosedMs)
{
    /// <summary>Answered after its deadline, or still unanswered and the deadline has passed at <paramref name="nowMs"/>.</summary>
    public bool Overdue(long nowMs) => DeadlineMs is { } deadline && (AnsweredMs is { } answered ? answered > deadline : Status == FindingStatus.Rectifying && nowMs > deadline);
}

/// <summary>A unit's score in the periodic evaluation (考核): 100 minus the points of its findings (see <see cref="AuditScoring"/>).</summary>
public sealed record UnitScore(string UnitId, int Score, int Minor, int Moderate, int Severe, int Overdue);

public sealed record OpenAuditRequest(string? Title, long? FromMs, long? ToMs, string[]? UnitIds, long? Seed);

public sealed record CheckItemRequest(string? Outcome, string? Note);

public sealed record RecordFindingRequest(long? ItemId, string? UnitId, string? Severity, string? Description);

public sealed record AssignRectificationRequest(string? UnitId, long? DeadlineMs);

public sealed record AnswerRequest(string? Answer);

public sealed record ReviewRequest(bool? Accept, string? Note);
