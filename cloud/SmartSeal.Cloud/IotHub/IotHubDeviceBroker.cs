using System.Diagnostics;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.IotHub;

/// <summary>
/// <see cref="IDeviceBroker"/> for <c>SmartSeal:Mqtt:Mode=IotHub</c>: what the rest of the cloud
/// publishes to a device's SmartSeal topic becomes an IoT Hub service call.
/// <list type="bullet">
/// <item><c>desired</c> (retained) → twin desired property <c>smartseal</c> (the hub keeps it; the device reads it on every connect);</item>
/// <item><c>cmd</c> → direct method named after the envelope's type; a signed result in the method response goes to ingest at once
/// (the device also sends it as a device-to-cloud event; ingest dedupes on device + seq);</item>
/// <item><c>ack</c> → direct method "ack" (C2D is not in the service REST API).</item>
/// </list>
/// A command for an offline device is dropped, as in the MQTT modes (commands are only for the online moment, ADR 0002).
/// </summary>
public sealed class IotHubDeviceBroker(IotHubServiceClient hub, IngestQueue ingest, IOptions<IotHubOptions> options, TimeProvider time, ILogger<IotHubDeviceBroker> logger)
    : IDeviceBroker
{
    private readonly IotHubOptions _options = options.Value;

    public bool IsReady => !string.IsNullOrEmpty(_options.HostName) && !string.IsNullOrEmpty(_options.ServicePolicyKey);

    public string Describe() => $"Azure IoT Hub {_options.HostName} (policy {_options.ServicePolicyName}): {(IsReady ? "configured" : "not configured")}";

    public async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken = default)
    {
        TopicKind kind = DeviceTopics.Parse(topic, out string deviceId);
        switch (kind)
        {
            case TopicKind.DesiredState:
                await hub.UpdateDesiredAsync(deviceId, payload, cancellationToken);
                return;
            case TopicKind.Commands:
            case TopicKind.Acks:
                await InvokeAsync(deviceId, kind, payload, cancellationToken);
                return;
            default:
                throw new ArgumentException($"the cloud does not publish to {topic}", nameof(topic));
        }
    }

    private async Task InvokeAsync(string deviceId, TopicKind kind, byte[] envelope, CancellationToken cancellationToken)
    {
        string method = TypeOf(envelope) ?? throw new ArgumentException("not a SmartSeal envelope", nameof(envelope));
        IotHubMethodResult result = await hub.InvokeMethodAsync(deviceId, method, envelope, cancellationToken);
        if (result.DeviceOffline)
        {
            logger.LogInformation("{Method} for {DeviceId} not delivered: the device is not connected to IoT Hub", method, deviceId);
            return;
        }

        if (result.Status >= 400)
        {
            logger.LogWarning("{DeviceId} answered {Method} with {Status}", deviceId, method, result.Status);
        }

        if (kind == TopicKind.Commands && result.ResultEnvelope != null)
        {
            // Untrusted until ingest verifies its MAC, like anything else from the hub.
            string resultTopic = DeviceTopics.For(deviceId, TopicKind.CommandResults);
            await ingest.EnqueueAsync(new InboundMessage(resultTopic, result.ResultEnvelope, deviceId, time.GetUtcNow().ToUnixTimeMilliseconds(), Stopwatch.GetTimestamp()), cancellationToken);
        }
    }

    private static string? TypeOf(byte[] envelope)
    {
        var decoded = new Envelope();
        return EnvelopeCodec.Decode(envelope, 0, envelope.Length, decoded, out _) == ProtocolError.None ? decoded.Type : null;
    }
}
