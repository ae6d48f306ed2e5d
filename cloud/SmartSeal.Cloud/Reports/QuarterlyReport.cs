namespace SmartSeal.Cloud.Reports;

/// <summary>
/// The periodic audit report of one quarter, for the seals of the caller's units: uses, refusals
/// and applications per seal (with the previous quarter's uses), refusals by reason, alarms by
/// type, approval lead times against the previous quarter, and the ledger's verification.
/// </summary>
public sealed record QuarterlyReport(
    int Year,
    int Quarter,
    long FromMs,
    long ToMs,
    string TimeZone,
    string GeneratedBy,
    long GeneratedMs,
    IReadOnlyList<SealQuarter> Seals,
    int Uses,
    int PreviousUses,
    int Refusals,
    int PreviousRefusals,
    IReadOnlyList<NamedCount> RefusalsByReason,
    int Alarms,
    IReadOnlyList<NamedCount> AlarmsByType,
    LeadTimeStats LeadTimes,
    LeadTimeStats PreviousLeadTimes,
    ReportVerification Verification);

/// <summary>One seal's quarter: stamps and cabinet hand-outs (uses), refusals, applications decided.</summary>
public sealed record SealQuarter(string SealId, string Name, string UnitId, string State, int Uses, int Stamps, int Dispenses, int Refusals, int ApplicationsApproved, int ApplicationsRejected, int PreviousUses);

public sealed record NamedCount(string Name, int Count);

/// <summary>The ledger's verification when the report was made (problems limited to the caller's chains).</summary>
public sealed record ReportVerification(bool Intact, long EntriesChecked, int Chains, int CheckpointsChecked, int Problems, string? FirstProblem);
