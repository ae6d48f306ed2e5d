using SmartSeal.Cloud.Organisation.Authorization;

namespace SmartSeal.Cloud.Devices;

/// <summary>A device belongs to the unit it was provisioned for (<c>orgUnit</c>); one provisioned without is for sysadmins only.</summary>
public sealed class DeviceUnits(DeviceRepository devices) : IObjectUnits
{
    public ObjectKind Kind => ObjectKind.Device;

    public async Task<ObjectUnit?> FindAsync(string id, CancellationToken cancellationToken) =>
        await devices.FindAsync(id, cancellationToken) is { } device ? new ObjectUnit(device.OrgUnit) : null;
}
