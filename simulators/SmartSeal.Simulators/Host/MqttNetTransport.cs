using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Link;

namespace SmartSeal.Simulators.Host;

/// <summary>
/// The firmware's <see cref="IMqttTransport"/> on MQTTnet 5: a blocking facade over the async
/// client (QoS 1, MQTT 3.1.1 like the device's stacks, the will and clean-session flag from
/// <see cref="MqttConnectOptions"/>). MQTTnet receives on its own threads; this class queues what
/// arrives and raises <see cref="MessageReceived"/> and <see cref="ConnectionLost"/> only from
/// <see cref="Pump"/>, so the firmware core of one device always runs on the single thread that
/// drives it, as on the board.
/// </summary>
public sealed class MqttNetTransport : IMqttTransport, IDisposable
{
    private static readonly MqttClientFactory Factory = new();

    private readonly BrokerEndpoint _broker;
    private readonly NetworkGate _network;
    private readonly TrafficCounters _traffic;
    private readonly SimLog _log;
    private readonly ConcurrentQueue<KeyValuePair<string, byte[]>> _inbound = new();
    private IMqttClient? _client;
    private CuttableTcpStreamProvider? _socket;
    private volatile bool _lostPending;
    private volatile bool _abandoned;
    private string _clientId = "?";

    public MqttNetTransport(BrokerEndpoint broker, NetworkGate network, TrafficCounters traffic, SimLog log)
    {
        _broker = broker;
        _network = network;
        _traffic = traffic;
        _log = log;
        _network.WentDown += OnNetworkDown;
    }

    public event MessageReceivedHandler? MessageReceived;

    public event ConnectionChangedHandler? ConnectionLost;

    /// <summary>How long connect, subscribe and publish may block.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public bool IsConnected => !_abandoned && _client is { IsConnected: true };

    /// <summary>Messages received and not yet handed to the firmware.</summary>
    public int InboundPending => _inbound.Count;

    public string? Connect(MqttConnectOptions options)
    {
        if (_abandoned)
        {
            return "powered off";
        }

        if (_network.IsDown)
        {
            _traffic.CountConnectFailure();
            return "network unreachable";
        }

        CloseClient();
        _clientId = options.ClientId;
        var socket = new CuttableTcpStreamProvider();
        IMqttClient client = Factory.CreateMqttClient();
        client.ApplicationMessageReceivedAsync += OnMessage;
        client.DisconnectedAsync += OnDisconnected;
        var builder = new MqttClientOptionsBuilder()
            .WithEndPoint(_broker.ToEndPoint())
            .WithStreamProvider(socket)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId(options.ClientId)
            .WithCredentials(options.Username, options.Password)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveSeconds))
            .WithCleanSession(options.CleanSession)
            .WithTimeout(Timeout);
        if (options.WillTopic != null)
        {
            builder.WithWillTopic(options.WillTopic).WithWillPayload(options.WillPayload).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithWillRetain(true);
        }

        try
        {
            MqttClientConnectResult result = client.ConnectAsync(builder.Build(), CancellationToken.None).GetAwaiter().GetResult();
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                client.Dispose();
                _traffic.CountConnectFailure();
                return "refused: " + result.ResultCode;
            }
        }
        catch (MqttConnectingFailedException e)
        {
            client.Dispose();
            _traffic.CountConnectFailure();
            return "refused: " + e.Message;
        }
        catch (Exception e) when (e is MqttCommunicationException or IOException or System.Net.Sockets.SocketException or OperationCanceledException or TimeoutException)
        {
            client.Dispose();
            _traffic.CountConnectFailure();
            return "connect failed: " + e.GetType().Name + ": " + e.Message;
        }

        _lostPending = false;
        _client = client;
        _socket = socket;
        _traffic.CountConnect();
        return null;
    }

    public bool Subscribe(string[] topics)
    {
        IMqttClient? client = _client;
        if (client == null || !IsConnected)
        {
            return false;
        }

        var builder = Factory.CreateSubscribeOptionsBuilder();
        foreach (string topic in topics)
        {
            builder.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        try
        {
            MqttClientSubscribeResult result = client.SubscribeAsync(builder.Build(), CancellationToken.None).GetAwaiter().GetResult();
            foreach (MqttClientSubscribeResultItem item in result.Items)
            {
                if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
                {
                    _log.Warning(_clientId, $"subscribe to {item.TopicFilter.Topic} refused: {item.ResultCode}");
                    return false;
                }
            }

            return true;
        }
        catch (Exception e) when (e is MqttCommunicationException or IOException or OperationCanceledException or InvalidOperationException)
        {
            _log.Debug(_clientId, "subscribe failed: " + e.Message);
            return false;
        }
    }

    public bool Publish(string topic, byte[] payload, bool retain)
    {
        IMqttClient? client = _client;
        if (client == null || !IsConnected)
        {
            return false;
        }

        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        try
        {
            MqttClientPublishResult result = client.PublishAsync(message, CancellationToken.None).GetAwaiter().GetResult();
            if (!result.IsSuccess)
            {
                _log.Warning(_clientId, $"publish to {topic} not accepted: {result.ReasonCode}");
                return false;
            }

            _traffic.CountPublished();
            return true;
        }
        catch (Exception e) when (e is MqttCommunicationException or IOException or OperationCanceledException or InvalidOperationException)
        {
            _log.Debug(_clientId, "publish failed: " + e.Message);
            return false;
        }
    }

    public void Disconnect()
    {
        IMqttClient? client = _client;
        if (client == null)
        {
            return;
        }

        _client = null;
        try
        {
            if (client.IsConnected)
            {
                client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is MqttCommunicationException or IOException or OperationCanceledException)
        {
            _log.Debug(_clientId, "disconnect: " + e.Message);
        }

        client.Dispose();
    }

    /// <summary>Delivers what arrived since the last call, then a lost connection, on the caller's thread.</summary>
    public int Pump()
    {
        int delivered = 0;
        while (!_abandoned && _inbound.TryDequeue(out KeyValuePair<string, byte[]> message))
        {
            delivered++;
            MessageReceived?.Invoke(message.Key, message.Value);
        }

        if (_lostPending && !_abandoned)
        {
            _lostPending = false;
            ConnectionLost?.Invoke(false);
        }

        return delivered;
    }

    /// <summary>The link dies under the device (coverage lost, broker gone): a reset, no DISCONNECT.</summary>
    public void Cut()
    {
        _socket?.Cut();
    }

    /// <summary>Power cut: the socket dies and nothing queued here reaches the firmware any more.</summary>
    public void Abandon()
    {
        _abandoned = true;
        _network.WentDown -= OnNetworkDown;
        _socket?.Cut();
        IMqttClient? client = Interlocked.Exchange(ref _client, null);
        client?.Dispose();
        _inbound.Clear();
    }

    public void Dispose()
    {
        _network.WentDown -= OnNetworkDown;
        CloseClient();
    }

    private void CloseClient()
    {
        IMqttClient? client = Interlocked.Exchange(ref _client, null);
        if (client != null)
        {
            _socket?.Cut();
            client.Dispose();
        }
    }

    private void OnNetworkDown()
    {
        Cut();
    }

    private Task OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        if (!_abandoned)
        {
            _traffic.CountReceived();
            _inbound.Enqueue(new KeyValuePair<string, byte[]>(e.ApplicationMessage.Topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)));
        }

        return Task.CompletedTask;
    }

    private Task OnDisconnected(MqttClientDisconnectedEventArgs e)
    {
        // Only a drop of the live connection counts; our own Disconnect cleared _client first.
        if (e.ClientWasConnected && !_abandoned && _client != null && !_client.IsConnected)
        {
            _traffic.CountDrop();
            _lostPending = true;
        }

        return Task.CompletedTask;
    }
}
