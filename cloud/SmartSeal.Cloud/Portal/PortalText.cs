namespace SmartSeal.Cloud.Portal;

/// <summary>
/// Marker for the portal's texts: <c>PortalText.resx</c> (zh-CN, the default) and
/// <c>PortalText.en.resx</c> (English), used through <c>IStringLocalizer&lt;PortalText&gt;</c>.
/// </summary>
public sealed class PortalText;
