using System.Buffers;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Mqtt;

/// <summary>
/// Scale-out mode: the cloud is a client of an external MQTT 5 broker (Mosquitto, EMQX, HiveMQ...)
/// and subscribes to the device-published leaves with **shared subscriptions**
/// (<c>$share/smartseal-cloud/...</c>), so N instances split the device traffic. The broker
/// authenticates devices and enforces the ACL (cloud/README.md shows how for Mosquitto); ingest
/// verifies every MAC anyway. Reconnects with backoff. By default the session ends with the
/// connection (<see cref="MqttOptions.SessionExpirySeconds"/> = 0), so a stopped or crashed
/// instance's share goes to the others at once; what it had received but not stored is resent by
/// the devices (nothing is acknowledged before it is committed).
/// </summary>
public sealed class ExternalDeviceBroker(IOptions<MqttOptions> options, IngestQueue ingest, TimeProvider time, ILogger<ExternalDeviceBroker> logger)
    : IDeviceBroker, IHostedService, IDisposable
{
    private static readonly TopicKind[] DeviceLeaves = [TopicKind.Events, TopicKind.Telemetry, TopicKind.Status, TopicKind.CommandResults, TopicKind.Photos];
    private readonly MqttOptions _options = options.Value;
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _supervisor;
    private volatile bool _subscribed;
    private int _stopped;
    private int _disposed;

    public bool IsReady => _client.IsConnected && _subscribed;

    public string Describe() => $"external MQTT broker {_options.Host}:{_options.Port} as {_options.InstanceId}: {(IsReady ? "connected" : "not connected")}";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _supervisor = Task.Run(() => SuperviseAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped twice (a test factory disposed twice, a crash handler after a
        // normal stop): the second stop has nothing left to do.
        if (Interlocked.Exchange(ref _stopped, 1) == 1 || Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_supervisor != null)
        {
            await _supervisor.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_client.IsConnected && Volatile.Read(ref _disposed) == 0)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken);
        }
    }

    public async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken = default)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
        MqttClientPublishResult result = await _client.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"broker refused the publish to {topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _client.Dispose();
        _stopping.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stopping.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                _subscribed = false;
                try
                {
                    await ConnectAsync(stopping);
                    delay = TimeSpan.FromMilliseconds(500);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("External broker {Host}:{Port} unavailable ({Message}); retrying in {Delay} ms", _options.Host, _options.Port, e.Message, delay.TotalMilliseconds);
                    await Task.Delay(delay, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    delay = TimeSpan.FromMilliseconds(Math.Min(30_000, delay.TotalMilliseconds * 2));
                    continue;
                }
            }

            await Task.Delay(500, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.InstanceId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(_options.SessionExpirySeconds == 0)
            .WithSessionExpiryInterval(_options.SessionExpirySeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30));
        if (_options.Username != null)
        {
            builder.WithCredentials(_options.Username, _options.Password);
        }

        if (_options.UseTls)
        {
            builder.WithTlsOptions(tls => tls.UseTls());
        }

        await _client.ConnectAsync(builder.Build(), cancellationToken);
        MqttClientSubscribeOptionsBuilder subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (TopicKind kind in DeviceLeaves)
        {
            subscribe.WithTopicFilter(DeviceTopics.SharedAllDevices(kind), MqttQualityOfServiceLevel.AtLeastOnce);
        }

        MqttClientSubscribeResult result = await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
        foreach (MqttClientSubscribeResultItem item in result.Items)
        {
            if ((int)item.ResultCode > 2)
            {
                throw new InvalidOperationException($"subscription to {item.TopicFilter.Topic} refused: {item.ResultCode}");
            }
        }

        _subscribed = true;
        logger.LogInformation("Connected to external MQTT broker {Host}:{Port} as {ClientId} with shared subscriptions", _options.Host, _options.Port, _options.InstanceId);
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // The broker authenticated the device and applied its ACL; ingest checks the topic,
        // the envelope's device and the MAC regardless. Awaiting here is the back-pressure.
        await ingest.EnqueueAsync(
            new InboundMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), null, time.GetUtcNow().ToUnixTimeMilliseconds(), time.GetTimestamp()),
            _stopping.Token);
    }
}
