namespace SmartSeal.Cloud.IotHub;

/// <summary>
/// A direct method's outcome: the device's own status (200 with its signed result envelope, 202
/// accepted, 4xx refused) from the body of IoT Hub's HTTP 200, or <see cref="Offline"/> when the
/// hub answered HTTP 404 because the device is not connected.
/// </summary>
public sealed record IotHubMethodResult(int Status, byte[]? ResultEnvelope, bool DeviceOffline = false)
{
    public static readonly IotHubMethodResult Offline = new(0, null, DeviceOffline: true);
}
