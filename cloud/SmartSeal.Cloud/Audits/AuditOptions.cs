namespace SmartSeal.Cloud.Audits;

/// <summary><c>SmartSeal:Audits</c>: how large the checklist's sample is and how findings cost a unit points.</summary>
public sealed class AuditOptions
{
    public const string Section = "SmartSeal:Audits";

    /// <summary>Ledger entries sampled per audit (from the period and units; fewer when fewer exist).</summary>
    public int SampleSize { get; set; } = 10;

    /// <summary>At most this many sampled stamps with both photos become photo-pair lines.</summary>
    public int PhotoPairs { get; set; } = 5;

    public int MinorPoints { get; set; } = 2;

    public int ModeratePoints { get; set; } = 5;

    public int SeverePoints { get; set; } = 10;

    /// <summary>Extra points for a rectification answered after its deadline (or still unanswered past it).</summary>
    public int OverduePoints { get; set; } = 3;

    public IEnumerable<string> Problems()
    {
        if (SampleSize is < 1 or > 500)
        {
            yield return "SampleSize must be 1..500";
        }

        if (PhotoPairs is < 0 or > 100)
        {
            yield return "PhotoPairs must be 0..100";
        }

        if (MinorPoints < 0 || ModeratePoints < MinorPoints || SeverePoints < ModeratePoints || OverduePoints < 0)
        {
            yield return "points must be 0 <= minor <= moderate <= severe and overdue >= 0";
        }
    }
}
