using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Portal;

/// <summary>What a refused change says on a page: the service's own reason, or the portal's words for forbidden / not found.</summary>
public static class ChangeText
{
    public static string Of<T>(ChangeResult<T> result, IStringLocalizer<PortalText> text) => result.Status switch
    {
        ChangeStatus.Forbidden => text["Detail.Forbidden"],
        ChangeStatus.NotFound when result.Error is null => text["Detail.NotFound"],
        _ => result.Error ?? string.Join("; ", result.Problems?.Select(p => p.Key + ": " + string.Join(", ", p.Value)) ?? []),
    };
}
