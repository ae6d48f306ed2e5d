namespace SmartSeal.Cloud.Devices;

/// <summary>A signed status message to apply: online or not at device time <see cref="DeviceMs"/> (status envelopes carry seq 0).</summary>
public sealed record PresenceReport(string DeviceId, bool Online, long DeviceMs, string? Reason, string? Firmware);
