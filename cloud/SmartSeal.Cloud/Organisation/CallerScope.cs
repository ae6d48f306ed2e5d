using System.Security.Claims;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Organisation;

/// <summary>
/// What a caller may see and change: everything for sysadmins (and the admin API key); otherwise
/// they read in the subtrees of the units on which they hold any role, and keep (register, change,
/// hand over seals) in the subtrees of the units on which they are keeper.
/// </summary>
public sealed record CallerScope(string Actor, bool Everything, IReadOnlyList<string> UnitIds, IReadOnlyList<string> KeeperUnitIds)
{
    public static CallerScope Of(ClaimsPrincipal user)
    {
        string actor = user.Identity?.Name ?? "anonymous";
        return user.IsInRole(Roles.SysAdmin)
            ? new CallerScope(actor, true, [], [])
            : new CallerScope(actor, false, UnitsWith(user, null), UnitsWith(user, [Roles.Keeper]));
    }

    /// <summary>The units on which the caller holds one of <paramref name="roles"/> (any role for null), from the token's "{role}@{unit}" claims.</summary>
    public static IReadOnlyList<string> UnitsWith(ClaimsPrincipal user, IReadOnlyCollection<string>? roles) =>
        user.FindAll(UserTokenAuthenticationHandler.UnitRoleClaim)
            .Select(c => c.Value.Split('@', 2))
            .Where(p => p.Length == 2 && (roles is null || roles.Contains(p[0])))
            .Select(p => p[1])
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
