using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;

namespace SmartSeal.Cloud.Seals;

/// <summary>A seal belongs to the unit that owns it.</summary>
public sealed class SealUnits(SealRegistry seals) : IObjectUnits
{
    private static readonly CallerScope System = new("authority", true, [], []);

    public ObjectKind Kind => ObjectKind.Seal;

    public async Task<ObjectUnit?> FindAsync(string id, CancellationToken cancellationToken) =>
        await seals.FindAsync(id, System, cancellationToken) is { } seal ? new ObjectUnit(seal.UnitId) : null;
}
