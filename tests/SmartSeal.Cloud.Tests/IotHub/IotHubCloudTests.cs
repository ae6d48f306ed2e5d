using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.IotHub;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.IotHub;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.IotHub;

/// <summary>The real host with <c>Mqtt:Mode=IotHub</c>, its service calls going to the local fake hub.</summary>
public sealed class IotHubCloudTests : IDisposable
{
    private readonly FakeIotHubService _hub = new();
    private readonly IotHubCloudFactory _cloud;

    public IotHubCloudTests()
    {
        _cloud = new IotHubCloudFactory(_hub.Endpoint);
    }

    public void Dispose()
    {
        _cloud.Dispose();
        _hub.Dispose();
    }

    [Fact]
    public async Task A_device_event_read_from_the_hub_is_stored_and_acknowledged_through_a_signed_ack_method()
    {
        Assert.IsType<IotHubDeviceBroker>(_cloud.Service<IDeviceBroker>());
        byte[] key = await _cloud.ProvisionAsync("lock-0101");
        _hub.Online["lock-0101"] = true;

        var envelope = new Envelope { DeviceId = "lock-0101", Seq = 1, Time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Type = MessageTypes.Battery, Id = string.Empty };
        envelope.SetBody(MessageCodec.EncodeBody(new BatteryBody { Percent = 80, MilliVolts = 3900 }));
        byte[] signed = EnvelopeCodec.Encode(envelope, key);

        // What IotHubEventSource hands over for a message with leaf=tele from the authenticated device.
        string topic = IotHubEventSource.TopicOf(
            new Dictionary<string, object> { [IotHubEventSource.DeviceIdProperty] = "lock-0101" },
            new Dictionary<string, object> { [IotHubTopics.LeafProperty] = "tele" })!;
        await _cloud.Service<IngestQueue>().EnqueueAsync(new InboundMessage(topic, signed, "lock-0101", envelope.Time, Stopwatch.GetTimestamp()), CancellationToken.None);
        await _cloud.WaitForIngestAsync(1);

        HubRequest ack = await WaitForRequestAsync(r => r.Path == "/twins/lock-0101/methods");
        Assert.Null(ack.SasProblem);
        Assert.Equal(MessageTypes.Ack, ack.Body.GetProperty("methodName").GetString());
        byte[] ackEnvelope = IotHubPayloads.UnwrapEnvelope(Encoding.UTF8.GetBytes(ack.Body.GetProperty("payload").GetRawText()))!;
        var decoded = new Envelope();
        Assert.Equal(ProtocolError.None, EnvelopeCodec.Decode(ackEnvelope, 0, ackEnvelope.Length, decoded, out _));
        Assert.True(EnvelopeCodec.VerifyMac(decoded, key));
        var body = new AckBody();
        Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(decoded, body, out _));
        Assert.Equal([1L], body.Seqs);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Desired_state_and_commands_published_by_the_cloud_become_a_twin_patch_and_a_direct_method()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-0102");
        _hub.Online["lock-0102"] = true;
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var command = new Envelope { DeviceId = "lock-0102", Seq = 1, Time = now, Expires = now + 60_000, Type = MessageTypes.LocateNow, Id = "cmd-9" };
        command.SetBody(MessageCodec.EncodeBody(new LocateBody()));
        byte[] signedCommand = EnvelopeCodec.Encode(command, key);
        var result = new Envelope { DeviceId = "lock-0102", Seq = 2, Time = now, Type = MessageTypes.CommandResult, Id = string.Empty };
        result.SetBody(MessageCodec.EncodeBody(new CommandResultBody { CommandId = "cmd-9", Ok = true }));
        byte[] signedResult = EnvelopeCodec.Encode(result, key);
        _hub.MethodResponder = (_, _) => (200, JsonSerializer.Serialize(Encoding.UTF8.GetString(signedResult)));

        IDeviceBroker broker = _cloud.Service<IDeviceBroker>();
        await broker.PublishAsync(DeviceTopics.For("lock-0102", TopicKind.DesiredState), Encoding.UTF8.GetBytes("{\"desired\":1}"), retain: true);
        await broker.PublishAsync(DeviceTopics.For("lock-0102", TopicKind.Commands), signedCommand, retain: false);
        await _cloud.WaitForIngestAsync(1); // the signed result from the method response went through ingest

        HubRequest[] requests = _hub.Requests.ToArray();
        Assert.Equal(("PATCH", "/twins/lock-0102"), (requests[0].Method, requests[0].Path));
        Assert.Equal(("POST", "/twins/lock-0102/methods", MessageTypes.LocateNow), (requests[1].Method, requests[1].Path, requests[1].Body.GetProperty("methodName").GetString()));
        Assert.All(requests, r => Assert.Null(r.SasProblem));

        _hub.Online.TryRemove("lock-0102", out _);
        await broker.PublishAsync(DeviceTopics.For("lock-0102", TopicKind.Commands), signedCommand, retain: false); // offline: dropped, no error
        await Assert.ThrowsAsync<ArgumentException>(() => broker.PublishAsync(DeviceTopics.For("lock-0102", TopicKind.Events), signedCommand, retain: false));
        _cloud.AssertNoErrors();
    }

    private Task<HubRequest> WaitForRequestAsync(Func<HubRequest, bool> match) =>
        Eventually.ValueAsync(
            () => _hub.Requests.FirstOrDefault(match),
            "the fake hub saw a matching request",
            TimeSpan.FromSeconds(10));

    private sealed class IotHubCloudFactory(string endpoint) : CloudFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);

            // UseSetting, not app configuration: the transport is chosen while the host is being built.
            builder.UseSetting("SmartSeal:Mqtt:Mode", "IotHub");
            builder.UseSetting("SmartSeal:IotHub:HostName", FakeIotHubService.HostName);
            builder.UseSetting("SmartSeal:IotHub:ServiceEndpoint", endpoint);
            builder.UseSetting("SmartSeal:IotHub:ServicePolicyName", FakeIotHubService.PolicyName);
            builder.UseSetting("SmartSeal:IotHub:ServicePolicyKey", Convert.ToBase64String(FakeIotHubService.PolicyKey));
        }
    }
}
