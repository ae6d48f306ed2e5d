using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Simulators.Host;

/// <summary>
/// MQTTnet's broker in-process, with the security model's checks (DESIGN.md §4): a device logs in
/// with username = client id = device id and the SAS-style password, verified against the key
/// derived from the master key (no device secrets stored); a device may publish only to its own
/// device-published leaves and subscribe only to its own cloud-published leaves. Cloud clients
/// log in per <see cref="CloudCredentials"/> and may use any topic. Retained messages survive
/// <see cref="Restart"/>, as on a broker with persistence.
/// </summary>
public sealed class EmbeddedBroker : IDisposable
{
    private readonly byte[] _masterKey;
    private readonly IClock _clock;
    private readonly SimLog _log;
    private readonly ConcurrentDictionary<string, MqttApplicationMessage> _retained = new(StringComparer.Ordinal);
    private readonly BrokerLogger _logger;
    private MqttServer? _server;
    private long _accepted;
    private long _refused;
    private long _aclDenied;

    public EmbeddedBroker(byte[] masterKey, IClock clock, SimLog log, int port = 0)
    {
        _masterKey = masterKey;
        _clock = clock;
        _log = log;
        _logger = new BrokerLogger(log);
        Port = port == 0 ? FreeLoopbackPort() : port;
    }

    public int Port { get; }

    public BrokerEndpoint Endpoint => new("127.0.0.1", Port);

    /// <summary>How long past "now" a device password may expire (the devices mint one hour plus slack).</summary>
    public long MaxPasswordLifetimeSeconds { get; init; } = 3600 + 600;

    /// <summary>Key versions of devices that rotated (default 1).</summary>
    public ConcurrentDictionary<string, int> KeyVersions { get; } = new(StringComparer.Ordinal);

    public long AcceptedConnections => Interlocked.Read(ref _accepted);

    public long RefusedConnections => Interlocked.Read(ref _refused);

    public long AclDenials => Interlocked.Read(ref _aclDenied);

    public bool IsRunning => _server is { IsStarted: true };

    public void Start()
    {
        MqttServerOptions options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(Port)
            .WithDefaultEndpointReuseAddress()
            .WithConnectionBacklog(4096)
            .WithMaxPendingMessagesPerClient(200_000) // the cloud's one subscription carries every device's traffic
            .Build();
        MqttServer server = new MqttServerFactory().CreateMqttServer(options, _logger);
        server.ValidatingConnectionAsync += ValidateConnection;
        server.InterceptingPublishAsync += CheckPublish;
        server.InterceptingSubscriptionAsync += CheckSubscription;
        server.RetainedMessageChangedAsync += e =>
        {
            if (e.ChangedRetainedMessage.Payload.IsEmpty)
            {
                _retained.TryRemove(e.ChangedRetainedMessage.Topic, out _);
            }
            else
            {
                _retained[e.ChangedRetainedMessage.Topic] = e.ChangedRetainedMessage;
            }

            return Task.CompletedTask;
        };
        server.LoadingRetainedMessageAsync += e =>
        {
            e.LoadedRetainedMessages = _retained.Values.ToList();
            return Task.CompletedTask;
        };
        server.StartAsync().GetAwaiter().GetResult();
        _server = server;
        _log.Info("broker", $"listening on 127.0.0.1:{Port}");
    }

    public void Stop()
    {
        MqttServer? server = Interlocked.Exchange(ref _server, null);
        if (server == null)
        {
            return;
        }

        server.StopAsync(new MqttServerStopOptions()).GetAwaiter().GetResult();
        server.Dispose();
        _log.Info("broker", "stopped");
    }

    /// <summary>Stops and starts again on the same port: every client is dropped, retained messages stay.</summary>
    public void Restart()
    {
        Stop();
        Start();
    }

    /// <summary>Publishes as the broker itself (retained desired state seeded by tests, for instance).</summary>
    public void Inject(string topic, byte[] payload, bool retain)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
        _server?.InjectApplicationMessage(new InjectedMqttApplicationMessage(message), CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose() => Stop();

    public static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        string user = e.UserName ?? string.Empty;
        if (user.StartsWith(CloudCredentials.UsernamePrefix, StringComparison.Ordinal))
        {
            if (e.Password != CloudCredentials.Password(_masterKey, user))
            {
                Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "cloud client with a wrong password");
                return Task.CompletedTask;
            }

            e.SessionItems["cloud"] = true;
            Interlocked.Increment(ref _accepted);
            return Task.CompletedTask;
        }

        if (!DeviceId.IsValid(user) || e.ClientId != user)
        {
            Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, $"client id '{e.ClientId}' must equal a valid device id username '{user}'");
            return Task.CompletedTask;
        }

        int version = KeyVersions.TryGetValue(user, out int v) ? v : 1;
        byte[] key = DeviceKeys.Derive(_masterKey, user, version);
        ProtocolError error = BrokerPassword.Verify(e.Password, user, key, _clock.UtcNowMs / 1000, MaxPasswordLifetimeSeconds);
        if (error != ProtocolError.None)
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, $"{user}: {error}");
            return Task.CompletedTask;
        }

        e.SessionItems["device"] = user;
        Interlocked.Increment(ref _accepted);
        return Task.CompletedTask;
    }

    private void Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string why)
    {
        e.ReasonCode = code;
        Interlocked.Increment(ref _refused);
        _log.Warning("broker", "connection refused: " + why);
    }

    private Task CheckPublish(InterceptingPublishEventArgs e)
    {
        string? device = e.SessionItems?["device"] as string;
        if (device == null)
        {
            return Task.CompletedTask; // cloud clients and the broker itself
        }

        if (!DeviceTopicAcl.MayPublish(device, e.ApplicationMessage.Topic))
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            Interlocked.Increment(ref _aclDenied);
            _log.Warning("broker", $"{device} may not publish to {e.ApplicationMessage.Topic}");
        }

        return Task.CompletedTask;
    }

    private Task CheckSubscription(InterceptingSubscriptionEventArgs e)
    {
        string? device = e.SessionItems?["device"] as string;
        if (device == null)
        {
            return Task.CompletedTask;
        }

        if (!DeviceTopicAcl.MaySubscribe(device, e.TopicFilter.Topic))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            Interlocked.Increment(ref _aclDenied);
            _log.Warning("broker", $"{device} may not subscribe to {e.TopicFilter.Topic}");
        }

        return Task.CompletedTask;
    }

    /// <summary>Forwards MQTTnet's warnings and errors to the simulator log; the rest is noise at fleet scale.</summary>
    private sealed class BrokerLogger(SimLog log) : IMqttNetLogger
    {
        public bool IsEnabled => true;

        public void Publish(MqttNetLogLevel logLevel, string source, string message, object[] parameters, Exception exception)
        {
            if (logLevel < MqttNetLogLevel.Warning)
            {
                return;
            }

            string text = parameters is { Length: > 0 } ? string.Format(System.Globalization.CultureInfo.InvariantCulture, message, parameters) : message;
            if (exception != null)
            {
                text += " (" + exception.GetType().Name + ": " + exception.Message + ")";
            }

            log.Write(logLevel == MqttNetLogLevel.Error ? SimLogLevel.Error : SimLogLevel.Warning, "broker/" + source, text);
        }
    }
}
