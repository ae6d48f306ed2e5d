using Microsoft.Extensions.Localization;

namespace SmartSeal.Cloud.Portal;

/// <summary>Approval step names (chain configuration, e.g. "department-head") in the user's language when the texts know them.</summary>
public static class StepLabel
{
    public static string Of(IStringLocalizer<PortalText> text, string? step)
    {
        if (string.IsNullOrEmpty(step))
        {
            return string.Empty;
        }

        LocalizedString label = text["Step." + step];
        return label.ResourceNotFound ? step : label.Value;
    }
}
