namespace SmartSeal.Cloud.Documents;

/// <summary>What the after-photo of a stamp showed, compared with the before-photo of its attempt.</summary>
public enum StampEvidenceResult
{
    /// <summary>The same page, now with new red ink: the stamp went where the check allowed it.</summary>
    Match,

    /// <summary>The after-photo shows another page (other code, or text of another page).</summary>
    OtherPage,

    /// <summary>The same page, but no new ink appeared: stamped elsewhere, or not at all.</summary>
    NoStamp,

    /// <summary>Neither code nor enough text readable: nothing can be said about what was stamped.</summary>
    Unreadable,

    /// <summary>The before-photo is not in the photo store.</summary>
    NoBefore,
}

/// <summary>The outcome of the after-stamp check with what led to it.</summary>
public sealed record StampEvidence(StampEvidenceResult Result, IReadOnlyList<string> Reasons, int InkBefore, int InkAfter)
{
    public static readonly string[] WireNames = ["match", "other-page", "no-stamp", "unreadable", "no-before"];

    public string WireName => WireNames[(int)Result];

    public bool Flagged => Result != StampEvidenceResult.Match;

    public string Detail => Reasons.Count > 0 ? Reasons[^1] : WireName;
}

/// <summary>A stored after-stamp check (<c>stamp_evidence_checks</c>).</summary>
public sealed record StampEvidenceRecord
{
    public required string DeviceId { get; init; }

    public required string AfterPhotoId { get; init; }

    public required string AttemptId { get; init; }

    public string? BeforePhotoId { get; init; }

    public string? ApplicationId { get; init; }

    public string? DocumentId { get; init; }

    public int? Page { get; init; }

    public required string Result { get; init; }

    public bool Flagged { get; init; }

    public required string Reasons { get; init; }

    public int InkBefore { get; init; }

    public int InkAfter { get; init; }

    public long CreatedMs { get; init; }
}
