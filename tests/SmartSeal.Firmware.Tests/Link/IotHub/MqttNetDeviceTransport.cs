using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Link;

namespace SmartSeal.Firmware.Tests.Link.IotHub;

/// <summary>
/// A device's <see cref="IMqttTransport"/> on an MQTTnet client, MQTT 3.1.1 as IoT Hub requires.
/// What arrives is queued and handed to the firmware by <see cref="Pump"/> on the test's thread,
/// as the device's single main loop would.
/// </summary>
public sealed class MqttNetDeviceTransport(int port) : IMqttTransport, IDisposable
{
    private static readonly MqttClientFactory Factory = new();
    private readonly ConcurrentQueue<(string Topic, byte[] Payload)> _inbound = new();
    private IMqttClient? _client;
    private volatile bool _lost;

    public event MessageReceivedHandler? MessageReceived;

    public event ConnectionChangedHandler? ConnectionLost;

    public bool IsConnected => _client is { IsConnected: true };

    public string? Connect(MqttConnectOptions options)
    {
        Disconnect();
        IMqttClient client = Factory.CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            _inbound.Enqueue((e.ApplicationMessage.Topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        client.DisconnectedAsync += e =>
        {
            _lost |= e.ClientWasConnected && ReferenceEquals(_client, client);
            return Task.CompletedTask;
        };
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId(options.ClientId)
            .WithCredentials(options.Username, options.Password)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveSeconds))
            .WithCleanSession(options.CleanSession)
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithWillTopic(options.WillTopic)
            .WithWillPayload(options.WillPayload)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        try
        {
            MqttClientConnectResult result = client.ConnectAsync(builder.Build()).GetAwaiter().GetResult();
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                client.Dispose();
                return "refused: " + result.ResultCode;
            }
        }
        catch (Exception e) when (e is MQTTnet.Adapter.MqttConnectingFailedException or MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            client.Dispose();
            return "refused: " + e.Message;
        }

        _lost = false;
        _client = client;
        return null;
    }

    public bool Subscribe(string[] topics)
    {
        IMqttClient? client = _client;
        if (client == null || !client.IsConnected)
        {
            return false;
        }

        var builder = Factory.CreateSubscribeOptionsBuilder();
        foreach (string topic in topics)
        {
            builder.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        MqttClientSubscribeResult result = client.SubscribeAsync(builder.Build()).GetAwaiter().GetResult();
        return result.Items.All(i => i.ResultCode <= MqttClientSubscribeResultCode.GrantedQoS2);
    }

    public bool Publish(string topic, byte[] payload, bool retain)
    {
        IMqttClient? client = _client;
        if (client == null || !client.IsConnected)
        {
            return false;
        }

        MqttApplicationMessage message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
        try
        {
            return client.PublishAsync(message).GetAwaiter().GetResult().IsSuccess;
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            return false;
        }
    }

    public void Disconnect()
    {
        IMqttClient? client = Interlocked.Exchange(ref _client, null);
        if (client == null)
        {
            return;
        }

        if (client.IsConnected)
        {
            client.DisconnectAsync().GetAwaiter().GetResult();
        }

        client.Dispose();
    }

    /// <summary>Delivers what arrived, then a lost connection, on the caller's thread.</summary>
    public int Pump()
    {
        int delivered = 0;
        while (_inbound.TryDequeue(out var message))
        {
            delivered++;
            MessageReceived?.Invoke(message.Topic, message.Payload);
        }

        if (_lost)
        {
            _lost = false;
            ConnectionLost?.Invoke(false);
        }

        return delivered;
    }

    public void Dispose() => Disconnect();
}
