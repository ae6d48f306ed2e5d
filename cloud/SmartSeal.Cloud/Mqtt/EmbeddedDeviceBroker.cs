using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.AspNetCore;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Mqtt.Limits;
using SmartSeal.Cloud.Security;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Mqtt;

/// <summary>
/// The default broker: MQTTnet's server in this process. Devices log in with username = client
/// id = their registered device id and the SAS-style password, checked against the key derived
/// for their current key version (no device secret is stored). The topic ACL keeps each device
/// inside its own subtree. Accepted device publishes go to the ingest queue; the cloud publishes
/// to devices by injecting messages.
/// </summary>
public sealed class EmbeddedDeviceBroker(
    IOptions<MqttOptions> options,
    DeviceCache devices,
    DeviceKeyring keys,
    IngestQueue ingest,
    CloudMetrics metrics,
    TimeProvider time,
    MqttConnectionHandler webSockets,
    ILogger<EmbeddedDeviceBroker> logger) : IDeviceBroker, IHostedService, IDisposable
{
    private const string DeviceItem = "device";
    private readonly MqttOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, byte> _connected = new(StringComparer.Ordinal);
    private readonly DirectSessionRoutes _routes = new();
    private MqttServer? _server;

    public bool IsReady => _server is { IsStarted: true };

    public int ConnectedDevices => _connected.Count;

    /// <summary>Messages to devices queued on their session directly (<see cref="DirectSessionRoutes"/>), not matched against every session.</summary>
    public long DeliveredDirectly => _routes.Delivered;

    public string Describe() => IsReady
        ? $"embedded MQTT broker on {_options.Host}:{_options.Port}{(_options.TlsPort > 0 ? $" (TLS {_options.TlsPort})" : string.Empty)}{(_options.WebSocket ? " and WebSocket /mqtt" : string.Empty)}, {ConnectedDevices} devices connected"
        : "embedded MQTT broker not started";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The listener is our own (Limits/): MQTTnet's reads a CONNECT of any size from anyone.
        MqttServerOptions serverOptions = new MqttServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            .WithMaxPendingMessagesPerClient(1000)
            .Build();
        X509Certificate2? certificate = null;
        if (_options.TlsPort > 0)
        {
            if (string.IsNullOrEmpty(_options.CertificatePath))
            {
                throw new OptionsValidationException(MqttOptions.Section, typeof(MqttOptions), ["SmartSeal:Mqtt:TlsPort needs SmartSeal:Mqtt:CertificatePath (a PFX)"]);
            }

            certificate = X509CertificateLoader.LoadPkcs12FromFile(_options.CertificatePath, _options.CertificatePassword);
        }

        // MQTT over WebSocket (browsers, networks that only pass HTTPS) shares the host's HTTP port:
        // Kestrel hands /mqtt connections to MQTTnet's connection handler, a second server adapter.
        var tcp = new LimitedTcpServerAdapter(_options, certificate, metrics, time, logger);
        MqttServer server = new MqttServerFactory().CreateMqttServer(serverOptions, _options.WebSocket ? [tcp, webSockets] : [tcp]);
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscription;
        server.ClientConnectedAsync += e =>
        {
            if (e.SessionItems[DeviceItem] is string device)
            {
                _routes.Connected(device);
                if (_connected.TryAdd(device, 0))
                {
                    metrics.ConnectedDevices.Add(1);
                }
            }

            return Task.CompletedTask;
        };
        server.ClientDisconnectedAsync += e =>
        {
            if (e.SessionItems?[DeviceItem] is string device)
            {
                _routes.Disconnected(device);
                if (_connected.TryRemove(device, out _))
                {
                    metrics.ConnectedDevices.Add(-1);
                }
            }

            return Task.CompletedTask;
        };
        server.ClientSubscribedTopicAsync += e =>
        {
            if (e.SessionItems?[DeviceItem] is string device)
            {
                _routes.Subscribed(device, e.TopicFilter);
            }

            return Task.CompletedTask;
        };
        server.ClientUnsubscribedTopicAsync += e =>
        {
            if (e.SessionItems?[DeviceItem] is string device)
            {
                _routes.Unsubscribed(device, e.TopicFilter);
            }

            return Task.CompletedTask;
        };
        await server.StartAsync();
        _server = server;
        devices.Changed += DropSessionOnChange;
        logger.LogInformation("Embedded MQTT broker listening on {Host}:{Port}", _options.Host, _options.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        devices.Changed -= DropSessionOnChange;
        MqttServer? server = Interlocked.Exchange(ref _server, null);
        if (server != null)
        {
            await server.StopAsync(new MqttServerStopOptions());
            server.Dispose();
        }
    }

    public async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken = default)
    {
        MqttServer server = _server ?? throw new InvalidOperationException("the embedded broker is not running");
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        if (await _routes.TryDeliverAsync(server, message))
        {
            return;
        }

        await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = "smartseal-cloud" }, cancellationToken);
    }

    public void Dispose() => _server?.Dispose();

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        string user = e.UserName ?? string.Empty;
        string? refusal = null;
        if (!DeviceId.IsValid(user) || e.ClientId != user)
        {
            refusal = $"client id '{e.ClientId}' must equal the username, a valid device id";
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
        }
        else
        {
            Device? device = await devices.FindAsync(user);
            if (device is null || device.Retired)
            {
                refusal = device is null ? "unknown device" : "retired device";
                e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            }
            else
            {
                long now = time.GetUtcNow().ToUnixTimeSeconds();
                ProtocolError error = BrokerPassword.Verify(e.Password, user, keys.KeyFor(user, device.KeyVersion), now, _options.MaxPasswordLifetimeSeconds);
                if (error != ProtocolError.None)
                {
                    refusal = error.ToString();
                    e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
                }
            }
        }

        if (refusal != null)
        {
            metrics.ConnectionsRefused.Add(1);
            logger.LogWarning("Broker login refused for {ClientId} from {Endpoint}: {Reason}", e.ClientId, e.RemoteEndPoint, refusal);
            return;
        }

        e.SessionItems[DeviceItem] = user;
    }

    /// <summary>A rotated or retired device's open session ends now: whatever it reconnects with is checked against the new registry.</summary>
    private void DropSessionOnChange(DeviceChange change)
    {
        if (change.EndsSessions && _server is { } server && _connected.ContainsKey(change.DeviceId))
        {
            _ = DropSessionAsync(server, change);
        }
    }

    private async Task DropSessionAsync(MqttServer server, DeviceChange change)
    {
        try
        {
            await server.DisconnectClientAsync(change.DeviceId, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized, ReasonString = change.Change });
            logger.LogWarning("Broker session of {Device} dropped: {Change}", change.DeviceId, change.Change);
        }
        catch (InvalidOperationException)
        {
            // gone in between
        }
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        if (e.SessionItems?[DeviceItem] is not string device)
        {
            return; // the cloud's own injected messages
        }

        string topic = e.ApplicationMessage.Topic;
        if (!DeviceTopicAcl.MayPublish(device, topic))
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            logger.LogWarning("Device {Device} may not publish to {Topic}: refused", device, topic);
            await ingest.EnqueueAsync(new InboundMessage(topic, e.ApplicationMessage.Payload.ToArray(), device, time.GetUtcNow().ToUnixTimeMilliseconds(), time.GetTimestamp()) { AclDenied = true }, e.CancellationToken);
            return;
        }

        // Device traffic is for the cloud only: nothing else subscribes to it.
        e.ProcessPublish = false;
        await ingest.EnqueueAsync(new InboundMessage(topic, e.ApplicationMessage.Payload.ToArray(), device, time.GetUtcNow().ToUnixTimeMilliseconds(), time.GetTimestamp()), e.CancellationToken);
    }

    private Task InterceptSubscription(InterceptingSubscriptionEventArgs e)
    {
        if (e.SessionItems?[DeviceItem] is string device && !DeviceTopicAcl.MaySubscribe(device, e.TopicFilter.Topic))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            logger.LogWarning("Device {Device} may not subscribe to {Filter}: refused", device, e.TopicFilter.Topic);
        }

        return Task.CompletedTask;
    }
}
