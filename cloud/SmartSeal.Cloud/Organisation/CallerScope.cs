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
        if (user.IsInRole(Roles.SysAdmin))
        {
            return new CallerScope(actor, true, [], []);
        }

        var pairs = user.FindAll(UserTokenAuthenticationHandler.UnitRoleClaim).Select(c => c.Value.Split('@', 2)).Where(p => p.Length == 2).ToList();
        return new CallerScope(actor, false,
            pairs.Select(p => p[1]).Distinct().ToList(),
            pairs.Where(p => p[0] == Roles.Keeper).Select(p => p[1]).Distinct().ToList());
    }
}
