namespace SmartSeal.Cloud.Organisation.Authorization;

/// <summary>A person belongs to their unit: keepers of it (or above) enrol and revoke their face.</summary>
public sealed class UserUnits(OrgStore org) : IObjectUnits
{
    public ObjectKind Kind => ObjectKind.User;

    public async Task<ObjectUnit?> FindAsync(string id, CancellationToken cancellationToken) =>
        await org.FindUserAsync(id, cancellationToken) is { } user ? new ObjectUnit(user.UnitId) : null;
}
