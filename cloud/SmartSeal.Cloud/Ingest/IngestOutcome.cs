namespace SmartSeal.Cloud.Ingest;

public enum IngestOutcome
{
    /// <summary>Not decided yet (handlers still running).</summary>
    Pending,

    /// <summary>First delivery: stored, acknowledged, notified.</summary>
    Stored,

    /// <summary>Redelivery of a stored (device, seq): acknowledged again, nothing stored twice.</summary>
    Duplicate,

    /// <summary>Presence (status, seq 0): applied by device time, not deduplicated.</summary>
    Presence,

    /// <summary>Not trusted or not allowed: recorded as evidence, never stored as a device record, not acknowledged.</summary>
    Refused,

    /// <summary>
    /// Authentic and stored as evidence, but about a seal or token the sending device has no part
    /// in (<c>Checkouts/BindingHandler</c>): no domain handler sees it, it is recorded and alarmed
    /// like a refusal, and it is acknowledged — the device's claim was heard and judged; sending it
    /// again would change nothing (a redelivery is a duplicate).
    /// </summary>
    Unbound,

    /// <summary>Over the device's rate limit: not acknowledged, so the device sends it again later.</summary>
    Throttled,
}
