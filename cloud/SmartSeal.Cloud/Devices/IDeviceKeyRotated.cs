namespace SmartSeal.Cloud.Devices;

/// <summary>
/// Told after a device moved to a new key version, so what was signed with the old key can be
/// signed again (the retained desired state). Devices defines it and Commands implements it:
/// Commands sits above Devices.
/// </summary>
public interface IDeviceKeyRotated
{
    Task KeyRotatedAsync(string deviceId, CancellationToken cancellationToken);
}
