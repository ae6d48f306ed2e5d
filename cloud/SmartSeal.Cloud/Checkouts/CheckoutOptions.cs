namespace SmartSeal.Cloud.Checkouts;

/// <summary>Section <c>SmartSeal:Checkouts</c>.</summary>
public sealed class CheckoutOptions
{
    /// <summary>How long a cabinet token is valid: the applicant is standing at the cabinet.</summary>
    public TimeSpan CabinetTokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a dispense command may wait for an offline cabinet (shorter than the token).</summary>
    public TimeSpan DispenseCommandTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Stamps a lock may make without the cloud's document verdict (the token's <c>offline</c> claim), when documents are bound.</summary>
    public int OfflineStamps { get; set; }

    /// <summary>Clock skew tolerated when reconciling a device's reported use against its token's window.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often overdue returns and stale dispenses are looked for.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long before a lock trip's end its holder is told it ends soon.</summary>
    public TimeSpan TripEndingNotice { get; set; } = TimeSpan.FromMinutes(30);
}
