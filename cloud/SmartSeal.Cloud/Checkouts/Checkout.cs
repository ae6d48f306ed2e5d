namespace SmartSeal.Cloud.Checkouts;

public enum CheckoutStatus
{
    /// <summary>Approved; the seal has not left yet (cabinet: not collected; lock: not bound).</summary>
    Awaiting,

    /// <summary>A cabinet was told to dispense; waiting for its dispensed event.</summary>
    Dispensing,

    /// <summary>With the applicant (cabinet) or in the lock (trip).</summary>
    Out,

    Returned,

    /// <summary>Withdrawn, revoked or expired before the seal left.</summary>
    Cancelled,
}

/// <summary>
/// One approved application's custody of its seal: from collection at a cabinet (or binding into
/// a portable lock) to the return. Due back by the end of the approved window.
/// </summary>
public sealed record Checkout
{
    public required string ApplicationId { get; init; }

    public required string SealId { get; init; }

    public required string Holder { get; init; }

    public required string Mode { get; init; }

    public required CheckoutStatus Status { get; init; }

    public string? DeviceId { get; init; }

    public int? Compartment { get; init; }

    public string? TokenId { get; init; }

    public long WindowFromMs { get; init; }

    public long DueMs { get; init; }

    public long CreatedMs { get; init; }

    public long? OutMs { get; init; }

    public long? ReturnedMs { get; init; }

    public long? OverdueMs { get; init; }

    public long UpdatedMs { get; init; }

    public bool IsOverdue(long nowMs) => Status == CheckoutStatus.Out && nowMs > DueMs;
}
