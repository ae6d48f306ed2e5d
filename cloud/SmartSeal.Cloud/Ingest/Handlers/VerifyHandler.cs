using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Security;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// Decides whether a message can be trusted at all: a device-published topic, a registered
/// device, an envelope from that device signed with its current key, a type that belongs on that
/// topic, a body that decodes. Anything else is refused with the reason; forgeries and messages
/// about another device are security-relevant.
/// </summary>
public sealed class VerifyHandler(DeviceCache devices, DeviceKeyring keys) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Verify;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        // One read of the registry's change feed for the whole batch: a key rotated or a device
        // retired before the batch began is already refused here (the feed is per batch, not per message).
        long seen = await devices.CatchUpAsync(cancellationToken);
        foreach (IngestItem item in batch.Items)
        {
            await VerifyAsync(item, seen, cancellationToken);
        }
    }

    private async Task VerifyAsync(IngestItem item, long seen, CancellationToken cancellationToken)
    {
        InboundMessage message = item.Message;
        item.Kind = DeviceTopics.Parse(message.Topic, out string? topicDevice);
        item.DeviceId = topicDevice ?? message.ClientId;
        if (message.AclDenied)
        {
            item.Refuse("acl-denied", $"{message.ClientId} published to {message.Topic}", securityRelevant: true);
            return;
        }

        if (item.Kind == TopicKind.Unknown || !DeviceTopics.IsPublishedByDevice(item.Kind))
        {
            item.Refuse("topic", $"not a device topic: {message.Topic}", securityRelevant: false);
            return;
        }

        item.Device = await devices.FindCaughtUpAsync(topicDevice!, seen, cancellationToken);
        if (item.Device is null || item.Device.Retired)
        {
            item.Refuse("unknown-device", item.Device is null ? "no such device" : "retired device", securityRelevant: true);
            return;
        }

        ProtocolError error = EnvelopeCodec.Decode(message.Payload, 0, message.Payload.Length, item.Envelope, out string detail);
        if (error != ProtocolError.None)
        {
            item.Refuse(error.ToString(), detail, securityRelevant: false);
            return;
        }

        if (item.Envelope.DeviceId != topicDevice || (message.ClientId != null && message.ClientId != topicDevice))
        {
            item.Refuse(nameof(ProtocolError.EnvelopeWrongDevice), $"envelope from {item.Envelope.DeviceId} on {topicDevice}'s topic", securityRelevant: true);
            return;
        }

        if (!EnvelopeCodec.VerifyMac(item.Envelope, keys.KeyFor(topicDevice!, item.Device.KeyVersion)))
        {
            item.Refuse(nameof(ProtocolError.EnvelopeMacMismatch), $"MAC does not verify with {topicDevice}'s key v{item.Device.KeyVersion}", securityRelevant: true);
            return;
        }

        error = MessageTypes.CheckArrival(item.Envelope.Type, item.Kind);
        if (error != ProtocolError.None)
        {
            item.Refuse(error.ToString(), $"{item.Envelope.Type} does not belong on {DeviceTopics.Leaf(item.Kind)}", securityRelevant: true);
            return;
        }

        bool presence = item.Kind == TopicKind.Status;
        if (presence != (item.Envelope.Seq == 0))
        {
            item.Refuse(nameof(ProtocolError.EnvelopeBadSequence), presence ? "status must carry seq 0" : "events carry seq >= 1", securityRelevant: false);
            return;
        }

        MessageBody body = MessageCodec.Create(item.Envelope.Type);
        error = MessageCodec.DecodeBody(item.Envelope, body, out detail);
        if (error != ProtocolError.None)
        {
            item.Refuse(error.ToString(), detail, securityRelevant: false);
            return;
        }

        item.Body = body;
    }
}
