using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Security;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Ingest.Handlers;

/// <summary>
/// After commit, tells each device which seqs are safely stored (first deliveries and
/// redeliveries alike, and unbound events: stored as evidence and judged), in one signed ack per
/// device per batch, so it can drop them from flash.
/// </summary>
public sealed class AcknowledgeHandler(IDeviceBroker broker, DeviceKeyring keys, TimeProvider time, ILogger<AcknowledgeHandler> logger) : IIngestHandler
{
    /// <summary>Seqs per ack message (the device's body limit allows far more; keep acks small).</summary>
    public const int MaxSeqsPerAck = 200;

    public IngestStage Stage => IngestStage.AfterCommit;

    /// <summary>Acks in flight at once: a QoS 1 publish to an external broker waits for its PUBACK, so one at a time made a batch wait one round trip per device.</summary>
    public const int MaxAcksInFlight = 64;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var acks = new List<(string Device, long[] Seqs, byte[] Payload)>();
        foreach (IGrouping<string, IngestItem> device in batch.Items
            .Where(i => i.Outcome is IngestOutcome.Stored or IngestOutcome.Duplicate or IngestOutcome.Unbound)
            .GroupBy(i => i.DeviceId!))
        {
            IngestItem first = device.First();
            byte[] key = keys.KeyFor(device.Key, first.Device!.KeyVersion);
            foreach (long[] seqs in device.Select(i => i.Envelope.Seq).Chunk(MaxSeqsPerAck))
            {
                var envelope = new Envelope
                {
                    DeviceId = device.Key, Seq = 0, Time = time.GetUtcNow().ToUnixTimeMilliseconds(), Type = MessageTypes.Ack, Id = string.Empty,
                };
                envelope.SetBody(MessageCodec.EncodeBody(new AckBody { Seqs = seqs }));
                acks.Add((device.Key, seqs, EnvelopeCodec.Encode(envelope, key)));
            }
        }

        // Different devices' acks are independent: send them side by side, a bounded number at a time.
        foreach ((string Device, long[] Seqs, byte[] Payload)[] wave in acks.Chunk(MaxAcksInFlight))
        {
            await Task.WhenAll(wave.Select(ack => SendAsync(ack.Device, ack.Seqs, ack.Payload, cancellationToken)));
        }
    }

    private async Task SendAsync(string device, long[] seqs, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            await broker.PublishAsync(DeviceTopics.For(device, TopicKind.Acks), payload, retain: false, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Stored is stored: a lost ack only means the device sends these again (deduped).
            logger.LogWarning(e, "Could not acknowledge {Count} messages to {Device}", seqs.Length, device);
        }
    }
}
