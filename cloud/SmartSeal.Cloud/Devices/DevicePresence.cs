namespace SmartSeal.Cloud.Devices;

/// <summary>A device's stored presence: whether it is connected (and why not), and whether it was retired.</summary>
public sealed record DevicePresence(string Id, bool Online, string? StatusReason, bool Retired);
