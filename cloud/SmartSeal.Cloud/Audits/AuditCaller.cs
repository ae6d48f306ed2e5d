using System.Security.Claims;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Audits;

/// <summary>
/// Who acts on an audit: the units (with subtrees) where they are auditor — they open, record and close
/// audits of those units — and where they are keeper or approver (the unit's head) — they answer
/// the rectifications assigned to those units. Sysadmins hold both everywhere.
/// </summary>
public sealed record AuditCaller(string Actor, bool Everything, IReadOnlySet<string> AuditUnits, IReadOnlySet<string> AnswerUnits)
{
    public static async Task<AuditCaller> OfAsync(ClaimsPrincipal user, OrgStore org, CancellationToken cancellationToken)
    {
        string actor = user.Identity?.Name ?? "anonymous";
        if (user.IsInRole(Roles.SysAdmin))
        {
            return new AuditCaller(actor, true, new HashSet<string>(), new HashSet<string>());
        }

        return new AuditCaller(actor, false,
            await org.SubtreesAsync(CallerScope.UnitsWith(user, [Roles.Auditor]), cancellationToken),
            await org.SubtreesAsync(CallerScope.UnitsWith(user, [Roles.Keeper, Roles.Approver]), cancellationToken));
    }

    public bool Audits(IEnumerable<string> unitIds) => Everything || unitIds.All(AuditUnits.Contains);

    public bool Answers(string? unitId) => Everything || (unitId is not null && AnswerUnits.Contains(unitId));
}
