using System.Text;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Gnss;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Link.IotHub;
using SmartSeal.Firmware.Lock;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.IotHub;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Firmware.Tests.Link.IotHub;

/// <summary>
/// The real lock controller on <see cref="IotHubLink"/> over a real MQTT connection (MQTTnet
/// client, 3.1.1) to a real broker enforcing IoT Hub's login and topic rules (<see cref="IotHubMqttBroker"/>).
/// </summary>
public sealed class IotHubBrokerTests : IDisposable
{
    private const string DeviceId = "lock-0077";
    private const string HostName = "smartseal-test.azure-devices.net";
    private static readonly byte[] Master = Enumerable.Range(40, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Key = DeviceKeys.Derive(Master, DeviceId, 1);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly FakeClock _clock = new(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    private readonly IotHubMqttBroker _broker;
    private readonly MqttNetDeviceTransport _transport;
    private readonly IotHubLink _link;
    private readonly LockController _lock;
    private readonly FakeSwitch _button = new("button");
    private long _commandCounter;

    public IotHubBrokerTests()
    {
        _broker = new IotHubMqttBroker(HostName, Master, () => _clock.UtcNowMs / 1000);
        _broker.Start();
        _transport = new MqttNetDeviceTransport(_broker.Port);
        var identity = new DeviceIdentity(DeviceId, Key, 1);
        _link = new IotHubLink(identity, _transport, _clock, new CloudLinkSettings(), HostName, "1.2.3");
        var flash = new FakePersistentStore(1 << 22);
        var queue = new OfflineQueue(flash, 512, 64);
        queue.Load();
        var hardware = new LockHardware
        {
            Bolt = new FakeLockActuator(), Button = _button, StampSwitch = new FakeSwitch("stamp"), Tamper = new FakeSwitch("tamper"), Camera = new FakeCamera(),
            Indicator = new FakeIndicator(), Clock = _clock, Link = _link, Flash = flash,
        };
        _lock = new LockController(identity, hardware, new LockSettings(), new Outbox(identity, queue, _link, _clock), new CommandInbox(identity, flash, _clock, 5_000), new PositionReporter(new PositionReporterSettings()));
    }

    public void Dispose()
    {
        _transport.Dispose();
        _broker.Dispose();
    }

    [Fact]
    public void A_remote_disable_set_in_the_twin_while_the_lock_is_offline_is_applied_on_connect_before_any_method_call()
    {
        RunUntil(() => _link.Phase == CloudLinkPhase.Up);
        _link.Disconnect("test: out of coverage");
        _broker.SetDesired(DeviceId, Signed(new DesiredStateBody { Enabled = false, Version = 9 }, command: false));

        LockMode? modeWhenMethodsOpened = null;
        _broker.Subscribed = (device, filter) =>
        {
            if (filter == IotHubTopics.MethodRequests)
            {
                modeWhenMethodsOpened = _lock.State.Mode;
            }
        };
        _link.Resume();
        RunUntil(() => _link.Phase == CloudLinkPhase.Up);

        Assert.Equal(LockMode.Disabled, modeWhenMethodsOpened);
        List<string> log = _broker.Log.ToList();
        int twinGet = log.LastIndexOf("twin GET " + DeviceId);
        int methods = log.LastIndexOf("subscribe " + DeviceId + " " + IotHubTopics.MethodRequests);
        Assert.InRange(twinGet, 0, methods - 1);

        // The first method call after the reconnect finds the lock disabled and gets its signed answer.
        (int status, byte[] payload) = Invoke(MessageTypes.LocateNow, Signed(new LocateBody(), command: true));
        Assert.Equal(200, status);
        CommandResultBody result = Body<CommandResultBody>(Verified(IotHubPayloads.UnwrapEnvelope(payload)!));
        Assert.Equal("cmd-1", result.CommandId);

        _button.Set(true, _clock.UptimeMs);
        RunUntil(() => Received("evt").Any(e => e.Type == MessageTypes.Refused));
        RunUntil(() => Received("res").Any());
        Assert.Contains(Received("evt"), e => e.Type == MessageTypes.StateApplied);
        Assert.Contains(Received("status"), e => Body<StatusBody>(e).Online);
        Assert.Empty(_broker.Denied);
    }

    [Fact]
    public void A_desired_patch_reaches_the_connected_lock_through_the_broker()
    {
        RunUntil(() => _link.Phase == CloudLinkPhase.Up);
        _broker.SetDesired(DeviceId, Signed(new DesiredStateBody { Enabled = false, Version = 3 }, command: false));
        RunUntil(() => _lock.State.Mode == LockMode.Disabled);
        RunUntil(() => Received("evt").Any(e => e.Type == MessageTypes.StateApplied));
    }

    [Fact]
    public void The_broker_refuses_a_wrong_key_MQTT_5_and_topics_outside_the_device_rules()
    {
        using var wrongKeyTransport = new MqttNetDeviceTransport(_broker.Port);
        var impostor = new IotHubLink(new DeviceIdentity(DeviceId, DeviceKeys.Derive(Master, "lock-0078", 1), 1), wrongKeyTransport, _clock, new CloudLinkSettings(), HostName, "x");
        impostor.Poll();
        Assert.Equal(CloudLinkPhase.Down, impostor.Phase);
        Assert.StartsWith("refused", impostor.LastError);
        Assert.Contains(_broker.Log, l => l.StartsWith("refused " + DeviceId + ": PasswordBadSignature", StringComparison.Ordinal));

        var mqtt5 = new MQTTnet.MqttClientFactory().CreateMqttClient();
        var options = new MQTTnet.MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithClientId(DeviceId).WithCredentials(IotHubTopics.Username(HostName, DeviceId), IotHubSasToken.ForDevice(HostName, DeviceId, Key, _clock.UtcNowMs / 1000 + 600)).Build();
#pragma warning disable xUnit1031 // the device code under test is blocking; this test stays synchronous like it
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.UnsupportedProtocolVersion, mqtt5.ConnectAsync(options).GetAwaiter().GetResult().ResultCode);
#pragma warning restore xUnit1031

        RunUntil(() => _link.Phase == CloudLinkPhase.Up);
        Assert.False(_transport.Subscribe(["devices/lock-0078/messages/devicebound/#"]));
        _transport.Publish(IotHubTopics.Events("lock-0078", "evt"), Signed(new LocateBody(), command: false), false);
        _transport.Publish("smartseal/v1/" + DeviceId + "/evt", Signed(new LocateBody(), command: false), false);
        RunUntil(() => _broker.Denied.Count >= 3);
        Assert.DoesNotContain(_broker.DeviceToCloud, m => m.Device != DeviceId);
    }

    private (int Status, byte[] Payload) Invoke(string method, byte[] envelope)
    {
        Task<(int, byte[])> call = _broker.InvokeMethodAsync(DeviceId, method, IotHubPayloads.WrapEnvelope(envelope), TimeSpan.FromSeconds(5));
        RunUntil(() => call.IsCompleted);
#pragma warning disable xUnit1031 // completed above: the device loop had to run on this thread meanwhile
        return call.Result;
#pragma warning restore xUnit1031
    }

    /// <summary>The device's main loop: poll the link, deliver what arrived, tick the controller.</summary>
    private void RunUntil(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached; hub log: " + string.Join(" | ", _broker.Log));
            _link.Poll();
            _transport.Pump();
            _lock.Tick();
            _clock.Advance(10);
            Thread.Sleep(5); // the device loop's pace: the hub's broker answers on real threads
        }
    }

    private List<Envelope> Received(string leaf) => _broker.DeviceToCloud.Where(m => m.Leaf == leaf).Select(m => Verified(m.Body)).ToList();

    private byte[] Signed(MessageBody body, bool command)
    {
        var envelope = new Envelope { DeviceId = DeviceId, Seq = command ? ++_commandCounter : 0, Time = _clock.UtcNowMs, Expires = command ? _clock.UtcNowMs + 60_000 : 0, Type = body.Type, Id = command ? "cmd-" + _commandCounter : string.Empty };
        envelope.SetBody(MessageCodec.EncodeBody(body));
        return EnvelopeCodec.Encode(envelope, Key);
    }

    private static Envelope Verified(byte[] payload)
    {
        var envelope = new Envelope();
        Assert.Equal(ProtocolError.None, EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out _));
        Assert.True(EnvelopeCodec.VerifyMac(envelope, Key));
        return envelope;
    }

    private static T Body<T>(Envelope envelope)
        where T : MessageBody, new()
    {
        var body = new T();
        Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(envelope, body, out _));
        return body;
    }
}
