namespace SmartSeal.Cloud.Seals.Electronic.Pdf;

/// <summary>Where an impression goes: at chosen points, on every page, and/or as a cross-page seal (骑缝章).</summary>
public sealed record SealPlacement
{
    /// <summary>Chosen pages and positions: page numbers from 1, the impression's centre in points from the page's lower-left corner.</summary>
    public IReadOnlyList<SealSpot> Spots { get; init; } = [];

    /// <summary>One impression on every page at <see cref="EveryPageAt"/>.</summary>
    public bool EveryPage { get; init; }

    /// <summary>Where on every page (centre, points from the lower-left corner); default: lower right.</summary>
    public SealSpot? EveryPageAt { get; init; }

    /// <summary>The impression cut into strips across the right edge of all pages (at most <see cref="CrossPageGroup"/> pages per impression).</summary>
    public bool CrossPage { get; init; }

    /// <summary>The cross-page seal's centre height (points from the bottom); default: the middle of the page.</summary>
    public double? CrossPageY { get; init; }

    public int CrossPageGroup { get; init; } = 20;

    public bool IsEmpty => Spots.Count == 0 && !EveryPage && !CrossPage;
}

/// <summary>One impression's centre on a page (page from 1; x, y in points from the lower-left corner).</summary>
public sealed record SealSpot(int Page, double X, double Y);
