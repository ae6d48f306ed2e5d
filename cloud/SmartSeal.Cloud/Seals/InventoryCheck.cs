namespace SmartSeal.Cloud.Seals;

/// <summary>An inventory check (盘点) of a unit's subtree and what it found so far.</summary>
public sealed record InventoryCheck(long Id, string UnitId, string StartedBy, long StartedMs, string? ClosedBy, long? ClosedMs,
    int Expected, InventoryFound[] Found, InventoryDiscrepancy[] Discrepancies)
{
    public bool Clean => Discrepancies.Length == 0;
}

/// <summary>An expected seal whose tag was reported, and by whom.</summary>
public sealed record InventoryFound(string SealId, string RfidTag, string Source);

/// <summary>
/// What does not match the register: <c>missing</c> (expected, tag not reported), <c>no-tag</c>
/// (expected but has no tag: check by hand), <c>unexpected</c> (a reported tag that is no expected
/// seal: unknown, another unit's, lost or revoked), <c>elsewhere</c> (found, but not where the
/// register says it is).
/// </summary>
public sealed record InventoryDiscrepancy(string Kind, string? SealId, string? RfidTag, string Detail);
