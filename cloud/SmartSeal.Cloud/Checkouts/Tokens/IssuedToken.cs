namespace SmartSeal.Cloud.Checkouts;

/// <summary>A use token as the cloud remembers it (never the signed text: it can be re-signed, not re-read).</summary>
public sealed record IssuedToken
{
    public required string Jti { get; init; }

    public required string ApplicationId { get; init; }

    public required string SealId { get; init; }

    public required string DeviceId { get; init; }

    public required string Mode { get; init; }

    public int? Compartment { get; init; }

    public int Uses { get; init; }

    public int Used { get; init; }

    public int Refusals { get; init; }

    /// <summary>The highest device seq of a reported use, and that use's device time.</summary>
    public long? LastUseSeq { get; init; }

    public long? LastUseMs { get; init; }

    public long NotBeforeMs { get; init; }

    public long ExpiresMs { get; init; }

    public long IssuedMs { get; init; }

    public string? IssuedBy { get; init; }

    public long? RevokedMs { get; init; }

    public string? RevokedReason { get; init; }

    public bool IsLive(long nowMs) => RevokedMs == null && nowMs < ExpiresMs && Used < Uses;
}
