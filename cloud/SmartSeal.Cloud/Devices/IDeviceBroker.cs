namespace SmartSeal.Cloud.Devices;

/// <summary>
/// The device link: what the cloud needs from the device transport, whichever runs (embedded or
/// external MQTT, Azure IoT Hub): publish to a device's topics, and say whether device traffic is
/// flowing. Every transport implements it; Ingest acknowledges and Commands sends through it.
/// Inbound device messages go to the ingest queue (<c>Ingest.IngestQueue</c>), above this module.
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
