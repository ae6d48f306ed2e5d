using Microsoft.Extensions.Localization;

namespace SmartSeal.Cloud.Portal;

/// <summary>A time zone as people call it ("北京时间" for Asia/Shanghai) when the texts know it (<c>Zone.*</c>), else its IANA id.</summary>
public static class ZoneName
{
    public static string Of(IStringLocalizer<PortalText> text, TimeZoneInfo zone)
    {
        LocalizedString name = text["Zone." + zone.Id];
        return name.ResourceNotFound ? zone.Id : name.Value;
    }
}
