using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Commands;

/// <summary>A received cloud message that decoded and verified with the device's key.</summary>
public sealed record CloudMessage(TopicKind Kind, Envelope Envelope, MessageBody Body);

/// <summary>What a test device does with the cloud's commands and desired state: verify, judge like the firmware, answer.</summary>
public static class DeviceSide
{
    /// <summary>Every command and desired state received so far, in arrival order; each must decode and carry a valid MAC.</summary>
    public static List<CloudMessage> CloudMessages(this DeviceClient device, TopicKind? only = null)
    {
        var messages = new List<CloudMessage>();
        foreach ((string topic, byte[] payload) in device.Received)
        {
            TopicKind kind = DeviceTopics.Parse(topic, out string? owner);
            if (kind is not (TopicKind.Commands or TopicKind.DesiredState) || (only != null && kind != only))
            {
                continue;
            }

            Assert.Equal(device.DeviceId, owner);
            var envelope = new Envelope();
            Assert.Equal(ProtocolError.None, EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out _));
            Assert.Equal(device.DeviceId, envelope.DeviceId);
            Assert.True(EnvelopeCodec.VerifyMac(envelope, device.Key), $"{envelope.Type} not signed with {device.DeviceId}'s key");
            Assert.Equal(ProtocolError.None, MessageTypes.CheckArrival(envelope.Type, kind));
            MessageBody body = MessageCodec.Create(envelope.Type);
            Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(envelope, body, out _));
            messages.Add(new CloudMessage(kind, envelope, body));
        }

        return messages;
    }

    public static Task<List<CloudMessage>> WaitForCloudMessagesAsync(this DeviceClient device, TopicKind kind, int count, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(
            () => device.CloudMessages(kind) is { } messages && messages.Count >= count ? messages : null,
            $"{device.DeviceId} received {count} {kind} messages",
            timeout);

    /// <summary>Reports presence and waits until the cloud has the device online.</summary>
    public static async Task GoOnlineAsync(this DeviceClient device, CloudFactory cloud)
    {
        await device.ReportOnlineAsync();
        await cloud.WaitUntilOnlineAsync(device.DeviceId);
    }

    /// <summary>Reports presence as CloudLink does once it is up (retained status, seq 0).</summary>
    public static Task ReportOnlineAsync(this DeviceClient device, bool online = true) =>
        device.PublishAsync(
            DeviceTopics.For(device.DeviceId, TopicKind.Status),
            device.Sign(new StatusBody { Online = online, Firmware = "test-1.0", Reason = online ? null : "shutdown" }, seq: 0),
            retain: true);

    public static Task AnswerAsync(this DeviceClient device, string commandId, bool ok, RefusalReason reason = RefusalReason.Unknown, string? detail = null) =>
        device.SendAsync(new CommandResultBody { CommandId = commandId, Ok = ok, Reason = reason, Detail = detail });

    /// <summary>The firmware's own replay guard (5 s skew) applied to commands in arrival order: what a real device would accept.</summary>
    public static ProtocolError[] JudgeLikeTheDevice(IEnumerable<CloudMessage> commands)
    {
        var guard = new CommandReplayGuard(0, 0, 5_000);
        var verdicts = new List<ProtocolError>();
        foreach (CloudMessage command in commands)
        {
            ProtocolError error = guard.Check(command.Envelope, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (error == ProtocolError.None)
            {
                guard.Commit(command.Envelope.Seq);
            }

            verdicts.Add(error);
        }

        return verdicts.ToArray();
    }
}
