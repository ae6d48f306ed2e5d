namespace SmartSeal.Cloud.Risk;

/// <summary>The kinds of unusual use the review flags.</summary>
public enum RiskKind
{
    OutsideHours,
    AboveUnitNorm,
    RepeatedRefusals,
    OutsideArea,
    DocumentSealedTwice,
}

/// <summary>
/// One use (or burst of uses) for a person to review: what kind, on which seal and unit, by whom, when,
/// the ledger entries behind it, and the reason in English with its numbers in <see cref="Facts"/>
/// (the portal words the reason in the reader's language from them).
/// </summary>
public sealed record RiskFlag(
    RiskKind Kind, string SealId, string? UnitId, string? Actor, string? ApplicationId, long AtMs, IReadOnlyList<long> EntryIds, string Reason,
    IReadOnlyList<string> Facts);

/// <summary>A stamp or refusal as the review reads it from the ledger, with the seal's unit and the fields it needs.</summary>
public sealed record UseRecord(
    long EntryId, string SealId, string? UnitId, string Kind, long AtMs, string? Actor, string? ApplicationId, string? Document, string? Page, double? Lat, double? Lon,
    double? AccuracyM, string? RefusalReason);
