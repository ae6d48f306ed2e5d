namespace SmartSeal.Cloud.Ingest;

/// <summary>One MQTT message from a device as the broker handed it over, before anything is trusted.</summary>
/// <param name="ClientId">The authenticated MQTT client (the device id in embedded mode; unknown in external mode, where the broker authenticated it).</param>
public sealed record InboundMessage(string Topic, byte[] Payload, string? ClientId, long ReceivedMs, long ReceivedTimestamp)
{
    /// <summary>The broker refused it (a device publishing outside its subtree): recorded and alarmed, never ingested.</summary>
    public bool AclDenied { get; init; }
}
