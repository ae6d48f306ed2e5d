using Microsoft.Extensions.Localization;

namespace SmartSeal.Cloud.Portal;

/// <summary>Alarm type names (wire names, e.g. "forced-door") in the user's language when the texts know them.</summary>
public static class AlarmLabel
{
    public static string Of(IStringLocalizer<PortalText> text, string type)
    {
        LocalizedString label = text["AlarmType." + type];
        return label.ResourceNotFound ? type : label.Value;
    }
}
