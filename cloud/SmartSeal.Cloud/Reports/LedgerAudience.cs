using System.Security.Claims;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Whose ledger a caller may read: sysadmins (and the admin API key) every chain; auditors and
/// keepers the chains of seals owned by the units (and sub-units) on which they hold that role,
/// the organisation chains <c>org:{unit}</c> of those units and the device chains
/// <c>device:{id}</c> (remote disable/enable) of devices assigned to them. Other roles (applicant,
/// approver) give no ledger access: the ledger is an audit record, not a personal history.
/// <see cref="LedgerChains"/> turns it into chain ids.
/// </summary>
public sealed record LedgerAudience(string Actor, bool Everything, IReadOnlyList<string> UnitIds) : ILedgerScope
{
    public static LedgerAudience Of(ClaimsPrincipal user)
    {
        string actor = user.Identity?.Name ?? "anonymous";
        if (user.IsInRole(Roles.SysAdmin))
        {
            return new LedgerAudience(actor, true, []);
        }

        return new LedgerAudience(actor, false, CallerScope.UnitsWith(user, UnitAuthority.RolesFor(UnitRight.Audit)));
    }

    public static LedgerAudience All(string actor) => new(actor, true, []);

    /// <summary>The same audience as a reader of the seal register (no keeper rights).</summary>
    public CallerScope AsReader() => new(Actor, Everything, UnitIds, []);
}
