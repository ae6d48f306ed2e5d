using System.Text;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Protocol;
using SmartSeal.Protocol.IotHub;

namespace SmartSeal.Firmware.Tests.Link.IotHub;

/// <summary>
/// One device's connection to an in-memory IoT Hub, as an <see cref="IMqttTransport"/>: checks
/// the username and SAS token like the hub, keeps the device twin's desired properties, answers
/// twin GETs, sends PATCH notifications, direct-method requests and C2D messages to the topics
/// the device subscribed to, and records every connect, subscription and publish. Hub → device
/// traffic is queued and delivered by <see cref="Pump"/>, as a network would, so the device's
/// code runs in the order it would against the real service.
/// </summary>
public sealed class FakeIotHub(string hostName, string deviceId, byte[] deviceKey, FakeClock clock) : IMqttTransport
{
    private readonly Queue<(string Topic, byte[] Payload)> _toDevice = new();
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Status, byte[] Payload)> _methodResponses = new(StringComparer.Ordinal);
    private string? _desired;
    private long _desiredVersion = 1;
    private int _methodCounter;
    private bool _connected;

    public event MessageReceivedHandler? MessageReceived;

    public event ConnectionChangedHandler? ConnectionLost;

    public bool IsConnected => _connected;

    /// <summary>When set, the next twin GETs are answered with this status instead of 200.</summary>
    public int? TwinGetStatus { get; set; }

    /// <summary>When true, twin GETs go unanswered.</summary>
    public bool IgnoreTwinGets { get; set; }

    public List<MqttConnectOptions> Connects { get; } = new();

    /// <summary>Every subscription and twin GET, in order: the sequence the security model cares about.</summary>
    public List<string> Log { get; } = new();

    /// <summary>Device-to-cloud messages: (leaf from the property bag, body).</summary>
    public List<(string Leaf, byte[] Body)> DeviceToCloud { get; } = new();

    /// <summary>Publishes the hub refused (outside the dialect or for another device).</summary>
    public List<string> Denied { get; } = new();

    public string? Connect(MqttConnectOptions options)
    {
        Connects.Add(options);
        IotHubSasToken? token = IotHubSasToken.Parse(options.Password);
        if (options.ClientId != deviceId || options.Username != IotHubTopics.Username(hostName, deviceId) || token == null
            || token.Verify(IotHubSasToken.DeviceResource(hostName, deviceId), null, deviceKey, clock.UtcNowMs / 1000, 24 * 3600) != ProtocolError.None)
        {
            return "refused: not authorized";
        }

        _connected = true;
        _subscribed.Clear();
        _toDevice.Clear();
        return null;
    }

    public bool Subscribe(string[] topics)
    {
        if (!_connected)
        {
            return false;
        }

        foreach (string topic in topics)
        {
            if (topic != IotHubTopics.TwinResponses && topic != IotHubTopics.DesiredPatches && topic != IotHubTopics.MethodRequests && topic != IotHubTopics.DeviceBound(deviceId))
            {
                return false;
            }
        }

        foreach (string topic in topics)
        {
            _subscribed.Add(topic);
            Log.Add("subscribe " + topic);
        }

        return true;
    }

    public bool Publish(string topic, byte[] payload, bool retain)
    {
        if (!_connected)
        {
            return false;
        }

        if (IotHubTopics.TryParseEvents(topic, out string? id, out string? bag) && id == deviceId)
        {
            DeviceToCloud.Add((IotHubPropertyBag.Get(bag, IotHubTopics.LeafProperty) ?? string.Empty, payload));
            return true;
        }

        if (topic.StartsWith("$iothub/twin/GET/", StringComparison.Ordinal))
        {
            string rid = IotHubPropertyBag.Get(topic.Substring("$iothub/twin/GET/".Length), "$rid")!;
            Log.Add("twin GET");
            if (!IgnoreTwinGets && _subscribed.Contains(IotHubTopics.TwinResponses))
            {
                _toDevice.Enqueue((IotHubTopics.TwinResponse(TwinGetStatus ?? 200, rid), TwinGetStatus is null ? TwinDocument() : Array.Empty<byte>()));
            }

            return true;
        }

        if (IotHubTopics.TryParseMethodResponse(topic, out int status, out string? requestId))
        {
            _methodResponses[requestId!] = (status, payload);
            return true;
        }

        Denied.Add(topic);
        return false;
    }

    public void Disconnect() => _connected = false;

    /// <summary>The service side updates the desired property (null removes it); a connected, subscribed device gets a PATCH.</summary>
    public void SetDesired(byte[]? envelope)
    {
        _desired = envelope == null ? null : Encoding.UTF8.GetString(envelope);
        _desiredVersion++;
        if (_connected && _subscribed.Contains(IotHubTopics.DesiredPatches))
        {
            string patch = "{\"" + IotHubTopics.DesiredProperty + "\":" + (_desired == null ? "null" : System.Text.Json.JsonSerializer.Serialize(_desired)) + ",\"$version\":" + _desiredVersion + "}";
            _toDevice.Enqueue((IotHubTopics.DesiredPatch(_desiredVersion), Encoding.UTF8.GetBytes(patch)));
        }
    }

    /// <summary>
    /// A direct method as the service REST API would invoke it: fails with 404 when the device is
    /// not subscribed (offline), else delivers the request and returns the device's response.
    /// </summary>
    public (int Status, byte[] Payload) InvokeMethod(string name, byte[] jsonPayload)
    {
        if (!_connected || !_subscribed.Contains(IotHubTopics.MethodRequests))
        {
            return (404, Array.Empty<byte>());
        }

        string rid = (++_methodCounter).ToString("x");
        Log.Add("method " + name);
        _toDevice.Enqueue((IotHubTopics.MethodRequest(name, rid), jsonPayload));
        Pump();
        return _methodResponses.Remove(rid, out var response) ? response : (504, Array.Empty<byte>());
    }

    /// <summary>A cloud-to-device message with a property bag; queued by the hub until the device subscribes.</summary>
    public void SendCloudToDevice(string propertyBag, byte[] body)
    {
        _toDevice.Enqueue((IotHubTopics.DeviceBoundMessage(deviceId, propertyBag), body));
    }

    /// <summary>Delivers what the hub has for the device, to the topics it subscribed to.</summary>
    public int Pump()
    {
        int delivered = 0;
        int count = _toDevice.Count;
        for (int i = 0; i < count && _connected; i++)
        {
            (string topic, byte[] payload) = _toDevice.Dequeue();
            if (!IsSubscribed(topic))
            {
                _toDevice.Enqueue((topic, payload)); // C2D waits in the device queue
                continue;
            }

            delivered++;
            MessageReceived?.Invoke(topic, payload);
        }

        return delivered;
    }

    /// <summary>The network goes away under the device.</summary>
    public void Drop()
    {
        if (!_connected)
        {
            return;
        }

        _connected = false;
        MqttConnectOptions last = Connects[^1];
        if (IotHubTopics.TryParseEvents(last.WillTopic, out _, out string? bag))
        {
            DeviceToCloud.Add((IotHubPropertyBag.Get(bag, IotHubTopics.LeafProperty)!, last.WillPayload));
        }

        ConnectionLost?.Invoke(false);
    }

    private byte[] TwinDocument()
    {
        string desired = _desired == null ? string.Empty : "\"" + IotHubTopics.DesiredProperty + "\":" + System.Text.Json.JsonSerializer.Serialize(_desired) + ",";
        return Encoding.UTF8.GetBytes("{\"desired\":{" + desired + "\"$version\":" + _desiredVersion + "},\"reported\":{\"$version\":1}}");
    }

    private bool IsSubscribed(string topic)
    {
        if (topic.StartsWith("$iothub/twin/res/", StringComparison.Ordinal))
        {
            return _subscribed.Contains(IotHubTopics.TwinResponses);
        }

        if (IotHubTopics.IsDesiredPatch(topic))
        {
            return _subscribed.Contains(IotHubTopics.DesiredPatches);
        }

        if (topic.StartsWith("$iothub/methods/POST/", StringComparison.Ordinal))
        {
            return _subscribed.Contains(IotHubTopics.MethodRequests);
        }

        return _subscribed.Contains(IotHubTopics.DeviceBound(deviceId));
    }
}
