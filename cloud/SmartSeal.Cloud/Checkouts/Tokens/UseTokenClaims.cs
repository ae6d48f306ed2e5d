using SmartSeal.Cloud.Applications;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>A document the token binds, with its page count ("docs" claim).</summary>
public sealed record ApprovedDocument(string Id, int Pages);

/// <summary>
/// What a use token grants, before it is signed: one device, one seal, one application, a number
/// of uses inside a time window and (for locks) a place. Tokens/README.md in shared-protocol
/// defines every claim; <see cref="UseTokenIssuer"/> writes them.
/// </summary>
public sealed record UseTokenClaims
{
    public required string Id { get; init; }

    public required string DeviceId { get; init; }

    public required string Applicant { get; init; }

    public required string SealId { get; init; }

    public required string ApplicationId { get; init; }

    public required ApplicationMode Mode { get; init; }

    public required int Uses { get; init; }

    public int OfflineUses { get; init; }

    /// <summary>Cabinet tokens only: the compartment the token opens.</summary>
    public int Compartment { get; init; }

    public string? SealTag { get; init; }

    public IReadOnlyList<ApprovedDocument> Documents { get; init; } = [];

    public LocationLimit? Location { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset Expires { get; init; }
}
