namespace SmartSeal.Cloud.Ingest;

/// <summary>
/// What ingest allows each device. Bound to <c>SmartSeal:Mqtt</c>, where the key has always lived
/// beside the broker settings, so existing configuration keeps working.
/// </summary>
public sealed class IngestOptions
{
    public const string Section = "SmartSeal:Mqtt";

    /// <summary>Per device: messages per second beyond which the device is throttled and alarmed.</summary>
    public int MaxMessagesPerSecondPerDevice { get; set; } = 200;
}
