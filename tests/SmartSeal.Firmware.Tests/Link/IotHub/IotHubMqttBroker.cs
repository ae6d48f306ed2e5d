using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;
using SmartSeal.Protocol;
using SmartSeal.Protocol.IotHub;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Firmware.Tests.Link.IotHub;

/// <summary>
/// A real MQTT broker (MQTTnet) on loopback that behaves like IoT Hub's device endpoint as far as
/// SmartSeal uses it: MQTT 3.1.1 only; client id = device id, username
/// <c>{host}/{id}/?api-version=2021-04-12</c>, password = IoT Hub SAS token checked against the key
/// derived from the master key; a device may publish only to its own
/// <c>devices/{id}/messages/events/</c>, the twin GET and method responses, and subscribe only to
/// the twin, methods and its own devicebound topics. Device-to-cloud messages are consumed by the
/// "hub" (recorded), twin GETs are answered from the twin kept here, and direct methods and PATCH
/// notifications are delivered to the one device's session, as the real hub's per-device topics are.
/// </summary>
public sealed class IotHubMqttBroker : IDisposable
{
    private readonly string _hostName;
    private readonly byte[] _masterKey;
    private readonly Func<long> _utcNowSeconds;
    private readonly ConcurrentDictionary<string, string?> _desired = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(int Status, byte[] Payload)>> _pendingMethods = new(StringComparer.Ordinal);
    private MqttServer? _server;
    private int _requestCounter;

    public IotHubMqttBroker(string hostName, byte[] masterKey, Func<long> utcNowSeconds)
    {
        _hostName = hostName;
        _masterKey = masterKey;
        _utcNowSeconds = utcNowSeconds;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
    }

    public int Port { get; }

    /// <summary>What the hub saw, in order: connects, refusals, subscriptions, twin GETs, method calls.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Device-to-cloud messages: device, leaf, body.</summary>
    public ConcurrentQueue<(string Device, string Leaf, byte[] Body)> DeviceToCloud { get; } = new();

    /// <summary>Publishes and subscriptions refused by the topic rules.</summary>
    public ConcurrentQueue<string> Denied { get; } = new();

    /// <summary>Called as a device's subscription is accepted (device, filter), before any message can flow to it.</summary>
    public Action<string, string>? Subscribed { get; set; }

    public void Start()
    {
        MqttServerOptions options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(Port)
            .Build();
        MqttServer server = new MqttServerFactory().CreateMqttServer(options);
        server.ValidatingConnectionAsync += ValidateConnection;
        server.InterceptingPublishAsync += InterceptPublish;
        server.InterceptingSubscriptionAsync += InterceptSubscription;
        server.StartAsync().GetAwaiter().GetResult();
        _server = server;
    }

    /// <summary>The service side writes the desired property (as a twin PATCH through the REST API would).</summary>
    public void SetDesired(string deviceId, byte[] envelope)
    {
        string value = Encoding.UTF8.GetString(envelope);
        _desired[deviceId] = value;
        long version = _versions.AddOrUpdate(deviceId, 2, (_, v) => v + 1);
        string patch = "{\"" + IotHubTopics.DesiredProperty + "\":" + System.Text.Json.JsonSerializer.Serialize(value) + ",\"$version\":" + version + "}";
        DeliverIfSubscribed(deviceId, IotHubTopics.DesiredPatches, IotHubTopics.DesiredPatch(version), Encoding.UTF8.GetBytes(patch)).GetAwaiter().GetResult();
    }

    /// <summary>A direct method: 404 when the device is not connected and subscribed, else its response (504 after the timeout).</summary>
    public async Task<(int Status, byte[] Payload)> InvokeMethodAsync(string deviceId, string methodName, byte[] payload, TimeSpan timeout)
    {
        string rid = Interlocked.Increment(ref _requestCounter).ToString("x");
        var pending = new TaskCompletionSource<(int, byte[])>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingMethods[rid] = pending;
        Log.Enqueue($"method {deviceId} {methodName}");
        if (!await DeliverIfSubscribed(deviceId, IotHubTopics.MethodRequests, IotHubTopics.MethodRequest(methodName, rid), payload))
        {
            _pendingMethods.TryRemove(rid, out _);
            return (404, Array.Empty<byte>());
        }

        Task finished = await Task.WhenAny(pending.Task, Task.Delay(timeout));
        _pendingMethods.TryRemove(rid, out _);
        return finished == pending.Task ? pending.Task.Result : (504, Array.Empty<byte>());
    }

    public void Dispose()
    {
        MqttServer? server = Interlocked.Exchange(ref _server, null);
        if (server != null)
        {
            server.StopAsync(new MqttServerStopOptions()).GetAwaiter().GetResult();
            server.Dispose();
        }
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        string id = e.ClientId;
        if (e.ProtocolVersion != MqttProtocolVersion.V311)
        {
            return Refuse(e, MqttConnectReasonCode.UnsupportedProtocolVersion, "MQTT 3.1.1 only");
        }

        if (!DeviceId.IsValid(id) || e.UserName != IotHubTopics.Username(_hostName, id))
        {
            return Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "username must be {host}/{deviceId}/?api-version=...");
        }

        IotHubSasToken? token = IotHubSasToken.Parse(e.Password);
        ProtocolError error = token == null ? ProtocolError.PasswordMalformed
            : token.Verify(IotHubSasToken.DeviceResource(_hostName, id), null, DeviceKeys.Derive(_masterKey, id, 1), _utcNowSeconds(), 24 * 3600);
        if (error != ProtocolError.None)
        {
            return Refuse(e, MqttConnectReasonCode.NotAuthorized, error.ToString());
        }

        e.SessionItems["device"] = id;
        _subscriptions[id] = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        Log.Enqueue($"connect {id}");
        return Task.CompletedTask;
    }

    private Task Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string why)
    {
        e.ReasonCode = code;
        Log.Enqueue($"refused {e.ClientId}: {why}");
        return Task.CompletedTask;
    }

    private Task InterceptPublish(InterceptingPublishEventArgs e)
    {
        if (e.SessionItems?["device"] is not string device)
        {
            return Task.CompletedTask; // the broker's own deliveries
        }

        string topic = e.ApplicationMessage.Topic;
        byte[] payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
        e.ProcessPublish = false; // the hub consumes everything a device sends
        if (IotHubTopics.TryParseEvents(topic, out string? id, out string? bag) && id == device)
        {
            DeviceToCloud.Enqueue((device, IotHubPropertyBag.Get(bag, IotHubTopics.LeafProperty) ?? string.Empty, payload));
        }
        else if (topic.StartsWith("$iothub/twin/GET/", StringComparison.Ordinal) && IotHubPropertyBag.Get(topic.Substring("$iothub/twin/GET/".Length), "$rid") is { } rid)
        {
            Log.Enqueue($"twin GET {device}");
            _ = Task.Run(() => DeliverIfSubscribed(device, IotHubTopics.TwinResponses, IotHubTopics.TwinResponse(200, rid), TwinDocument(device)));
        }
        else if (IotHubTopics.TryParseMethodResponse(topic, out int status, out string? requestId) && _pendingMethods.TryGetValue(requestId!, out var pending))
        {
            pending.TrySetResult((status, payload));
        }
        else
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            Denied.Enqueue($"{device} publish {topic}");
        }

        return Task.CompletedTask;
    }

    private Task InterceptSubscription(InterceptingSubscriptionEventArgs e)
    {
        string device = (string)e.SessionItems["device"]!;
        string filter = e.TopicFilter.Topic;
        if (filter != IotHubTopics.TwinResponses && filter != IotHubTopics.DesiredPatches && filter != IotHubTopics.MethodRequests && filter != IotHubTopics.DeviceBound(device))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            Denied.Enqueue($"{device} subscribe {filter}");
            return Task.CompletedTask;
        }

        Subscribed?.Invoke(device, filter);
        Log.Enqueue($"subscribe {device} {filter}");
        _subscriptions[device][filter] = true;
        return Task.CompletedTask;
    }

    private byte[] TwinDocument(string deviceId)
    {
        string? value = _desired.TryGetValue(deviceId, out string? v) ? v : null;
        long version = _versions.TryGetValue(deviceId, out long n) ? n : 1;
        string desired = value == null ? string.Empty : "\"" + IotHubTopics.DesiredProperty + "\":" + System.Text.Json.JsonSerializer.Serialize(value) + ",";
        return Encoding.UTF8.GetBytes("{\"desired\":{" + desired + "\"$version\":" + version + "},\"reported\":{\"$version\":1}}");
    }

    /// <summary>Sends to one device's session (IoT Hub's $iothub topics are per connection), only if it subscribed to <paramref name="filter"/>.</summary>
    private async Task<bool> DeliverIfSubscribed(string deviceId, string filter, string topic, byte[] payload)
    {
        MqttServer? server = _server;
        if (server == null || !_subscriptions.TryGetValue(deviceId, out var subscribed) || !subscribed.ContainsKey(filter))
        {
            return false;
        }

        IList<MqttClientStatus> clients = await server.GetClientsAsync();
        MqttClientStatus? client = clients.FirstOrDefault(c => c.Id == deviceId);
        if (client == null)
        {
            return false;
        }

        MqttApplicationMessage message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        await client.Session.DeliverApplicationMessageAsync(message);
        return true;
    }
}
