namespace SmartSeal.Cloud.Portal;

/// <summary>Section <c>SmartSeal:Portal</c>: the web portal's map tiles, default time zone and where Leaflet is.</summary>
public sealed class PortalOptions
{
    public const string Section = "SmartSeal:Portal";

    /// <summary>
    /// Map tile URL template (Leaflet syntax, e.g. <c>https://tile.openstreetmap.org/{z}/{x}/{y}.png</c>).
    /// Empty (the default): no tiles, tracks and fences are drawn on a blank background, so the
    /// portal works on a network without internet access.
    /// </summary>
    public string TileUrl { get; set; } = string.Empty;

    /// <summary>Attribution shown for the tiles (required by most tile providers).</summary>
    public string TileAttribution { get; set; } = string.Empty;

    /// <summary>IANA time zone for users whose browser has not reported one yet.</summary>
    public string DefaultTimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Leaflet's <c>dist</c> folder (installed by scripts/setup.sh from npm), relative to the content root.</summary>
    public string LeafletPath { get; set; } = "Portal/Client/node_modules/leaflet/dist";

    /// <summary>Where the map centres when there is nothing to show yet.</summary>
    public double MapCenterLat { get; set; } = 39.9087;

    public double MapCenterLon { get; set; } = 116.3975;
}
