using System.Security.Claims;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Organisation.Authorization;

/// <summary>
/// The one place that decides who may act on what: role × the caller's units × the object's
/// unit. A role held on a unit holds on its whole subtree; sysadmins (and the admin API key) hold
/// every right everywhere; an object assigned to no unit (a device provisioned without
/// <c>orgUnit</c>) is for sysadmins only. Endpoints ask it through
/// <see cref="UnitAccessEndpoints.RequireUnitAccess{TBuilder}"/>; lists filter with <see cref="ScopeAsync"/>.
/// </summary>
public sealed class UnitAuthority(OrgStore org, IEnumerable<IObjectUnits> owners)
{
    private readonly Dictionary<ObjectKind, IObjectUnits> _owners = owners.ToDictionary(o => o.Kind);

    /// <summary>Roles that carry each right (sysadmin aside).</summary>
    public static IReadOnlyList<string> RolesFor(UnitRight right) => right switch
    {
        UnitRight.Keep => [Roles.Keeper],
        UnitRight.Audit => [Roles.Auditor, Roles.Keeper],
        _ => [Roles.Applicant, Roles.Approver, Roles.Keeper, Roles.Auditor],
    };

    public async Task<UnitScope> ScopeAsync(ClaimsPrincipal user, UnitRight right, CancellationToken cancellationToken = default)
    {
        if (user.IsInRole(Roles.SysAdmin))
        {
            return UnitScope.All;
        }

        IReadOnlyList<string> roots = CallerScope.UnitsWith(user, RolesFor(right));
        return new UnitScope(false, roots, await org.SubtreesAsync(roots, cancellationToken));
    }

    public async Task<UnitDecision> DecideAsync(ClaimsPrincipal user, UnitRight right, ObjectKind kind, string id, CancellationToken cancellationToken = default)
    {
        if (await OwnerOf(kind).FindAsync(id, cancellationToken) is not { } found)
        {
            return UnitDecision.NotFound;
        }

        if (ReferenceEquals(found, ObjectUnit.Malformed) || (await ScopeAsync(user, right, cancellationToken)).Contains(found.UnitId))
        {
            return UnitDecision.Allowed;
        }

        // Seen but not kept (an auditor of the unit asking to disable): 403. Not seen at all: 404.
        return right != UnitRight.See && (await ScopeAsync(user, UnitRight.See, cancellationToken)).Contains(found.UnitId)
            ? UnitDecision.Forbidden
            : UnitDecision.NotFound;
    }

    /// <summary>
    /// For a device named in a request body (the lock of a bind, the cabinet of a stow): the caller
    /// keeps its unit, or it is assigned to no unit (a shared pool device; the handler still checks
    /// that it exists). A device of a unit the caller does not keep is never usable.
    /// </summary>
    public async Task<bool> MayUseAsync(ClaimsPrincipal user, ObjectKind kind, string id, CancellationToken cancellationToken = default) =>
        await OwnerOf(kind).FindAsync(id, cancellationToken) is not { UnitId: { } unitId } || (await ScopeAsync(user, UnitRight.Keep, cancellationToken)).Contains(unitId);

    public async Task<bool> CanAsync(ClaimsPrincipal user, UnitRight right, ObjectKind kind, string id, CancellationToken cancellationToken = default) =>
        await DecideAsync(user, right, kind, id, cancellationToken) == UnitDecision.Allowed;

    private IObjectUnits OwnerOf(ObjectKind kind) =>
        _owners.TryGetValue(kind, out IObjectUnits? owner) ? owner : throw new InvalidOperationException($"no module resolves the unit of a {kind}");
}
