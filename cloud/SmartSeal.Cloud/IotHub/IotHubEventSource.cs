using System.Diagnostics;
using Azure.Messaging.EventHubs.Consumer;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol.IotHub;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.IotHub;

/// <summary>
/// Reads device-to-cloud messages from the hub's Event Hubs-compatible endpoint
/// (learn.microsoft.com/azure/iot-hub/iot-hub-devguide-messages-read-builtin) and hands them to
/// ingest on the SmartSeal topic they would have had over MQTT: the device id from the system
/// property <c>iothub-connection-device-id</c> (set by the hub from the authenticated connection,
/// so it plays the role of the embedded broker's client id), the leaf from the <c>leaf</c>
/// application property the device set. Reading starts at the latest event: nothing is
/// checkpointed, because the devices re-send every event ingest has not acknowledged.
/// </summary>
public sealed class IotHubEventSource(IngestQueue ingest, IDeviceBroker broker, IOptions<IotHubOptions> options, TimeProvider time, ILogger<IotHubEventSource> logger) : BackgroundService
{
    public const string DeviceIdProperty = "iothub-connection-device-id";

    private readonly IotHubOptions _options = options.Value;

    /// <summary>The SmartSeal topic of one device-to-cloud message; null when it is not one of ours.</summary>
    public static string? TopicOf(IReadOnlyDictionary<string, object> systemProperties, IDictionary<string, object> properties)
    {
        if (!systemProperties.TryGetValue(DeviceIdProperty, out object? device) || device is not string deviceId
            || !properties.TryGetValue(IotHubTopics.LeafProperty, out object? leafValue) || leafValue is not string leaf)
        {
            return null;
        }

        TopicKind kind = DeviceTopics.Parse(DeviceTopics.Root + deviceId + "/" + leaf, out string parsedId);
        return parsedId == deviceId && DeviceTopics.IsPublishedByDevice(kind) ? DeviceTopics.For(deviceId, kind) : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (broker is not IotHubDeviceBroker)
        {
            return; // registered always; reads only in the IoT Hub profile (SmartSeal:Mqtt:Mode picked the hub's broker)
        }

        if (string.IsNullOrEmpty(_options.EventHubsConnectionString))
        {
            logger.LogWarning("SmartSeal:IotHub:EventHubsConnectionString is not set: no device-to-cloud messages will be read");
            return;
        }

        await using var consumer = new EventHubConsumerClient(_options.ConsumerGroup, _options.EventHubsConnectionString);
        logger.LogInformation("Reading device-to-cloud messages from {Hub} (consumer group {Group})", consumer.EventHubName, _options.ConsumerGroup);
        await foreach (PartitionEvent received in consumer.ReadEventsAsync(startReadingAtEarliestEvent: false, cancellationToken: stoppingToken))
        {
            if (received.Data == null)
            {
                continue;
            }

            string? topic = TopicOf(received.Data.SystemProperties, received.Data.Properties);
            if (topic == null)
            {
                logger.LogDebug("Skipped a device-to-cloud message without a SmartSeal leaf");
                continue;
            }

            received.Data.SystemProperties.TryGetValue(DeviceIdProperty, out object? deviceId);
            await ingest.EnqueueAsync(new InboundMessage(topic, received.Data.EventBody.ToArray(), (string)deviceId!, time.GetUtcNow().ToUnixTimeMilliseconds(), Stopwatch.GetTimestamp()), stoppingToken);
        }
    }
}
