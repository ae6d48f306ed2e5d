namespace SmartSeal.Cloud.Seals;

/// <summary>A seal in the register.</summary>
public sealed record Seal(string Id, string Name, SealType Type, string UnitId, int Level, string? Custodian, string? RfidTag, SealState State,
    SealLocationKind LocationKind, string? LocationRef, long LocationMs, long CreatedMs, long UpdatedMs)
{
    public SealAction[] AllowedActions => SealLifecycle.AllowedActions(State);
}

/// <summary>Seal ledger kinds besides the shared ones (<see cref="Ledger.LedgerKinds"/>).</summary>
public static class SealLedgerKinds
{
    public const string Lifecycle = "lifecycle";

    /// <summary>A lifecycle action requested under four eyes, or its rejection.</summary>
    public const string LifecycleRequest = "lifecycle-request";

    /// <summary>An e-seal lifecycle transition (Electronic/ESealRegister).</summary>
    public const string ESeal = "e-seal";
}
