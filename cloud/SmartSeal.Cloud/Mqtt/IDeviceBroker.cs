namespace SmartSeal.Cloud.Mqtt;

/// <summary>
/// What the cloud needs from the MQTT side, whichever mode runs: publish to a device's topics,
/// and say whether device traffic is flowing. Inbound device messages go to the <see cref="Ingest.IngestQueue"/>.
/// </summary>
public interface IDeviceBroker
{
    /// <summary>Embedded: the server is listening. External: the cloud's client is connected and subscribed.</summary>
    bool IsReady { get; }

    /// <summary>For health checks and logs.</summary>
    string Describe();

    /// <summary>Publishes with QoS 1 (cloud → device: commands, acks, retained desired state).</summary>
    Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken = default);
}
