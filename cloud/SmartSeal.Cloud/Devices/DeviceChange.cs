namespace SmartSeal.Cloud.Devices;

/// <summary>One entry of the registry's change feed (<c>device_changes</c>), in commit order.</summary>
public sealed record DeviceChange(long Seq, string DeviceId, string Change)
{
    /// <summary>Whether the device's sessions must end: its key changed or it is gone.</summary>
    public bool EndsSessions => Change is DeviceChanges.KeyRotated or DeviceChanges.Retired;
}

/// <summary>What the feed records.</summary>
public static class DeviceChanges
{
    public const string Provisioned = "provisioned";
    public const string KeyRotated = "key-rotated";
    public const string Retired = "retired";
}
