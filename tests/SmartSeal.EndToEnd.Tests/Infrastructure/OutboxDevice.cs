using System.Collections.Concurrent;
using System.Diagnostics;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A lightweight lock for fleet tests: an MQTT client that signs real envelopes with its derived
/// key (Cloud.Tests' <see cref="DeviceClient"/>) plus what the firmware's outbox does — keep every
/// event until the cloud acknowledges it, and publish the unacknowledged ones again.
/// </summary>
public sealed class OutboxDevice(DeviceClient client, string tokenId) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, byte[]> _sent = new();

    public string DeviceId => client.DeviceId;

    public DeviceClient Client => client;

    /// <summary>Events published so far (each seq once, whatever the resends).</summary>
    public int Sent => _sent.Count;

    /// <summary>Signs and publishes the next stamp under the lock's use token (QoS 1).</summary>
    public async Task StampAsync()
    {
        long seq = client.NextSeq;
        byte[] envelope = client.Sign(new StampedBody { AttemptId = $"att-{seq}", TokenId = tokenId, DocumentId = "doc-1", Page = 1 });
        _sent[seq] = envelope;
        await client.PublishAsync(DeviceTopics.For(DeviceId, TopicKind.Events), envelope);
    }

    public long[] Unacknowledged() => _sent.Keys.Except(client.AcknowledgedSeqs()).Order().ToArray();

    /// <summary>
    /// Waits until every event is acknowledged, resending what is still open every
    /// <paramref name="resendAfter"/> (the firmware waits 30 s; tests wait less).
    /// </summary>
    public async Task DrainAsync(TimeSpan resendAfter, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        TimeSpan lastResend = TimeSpan.Zero;
        while (true)
        {
            long[] open = Unacknowledged();
            if (open.Length == 0)
            {
                return;
            }

            Assert.True(stopwatch.Elapsed < timeout, $"{DeviceId}: seqs {string.Join(",", open)} never acknowledged");
            if (stopwatch.Elapsed - lastResend >= resendAfter)
            {
                lastResend = stopwatch.Elapsed;
                foreach (long seq in open)
                {
                    await client.PublishAsync(DeviceTopics.For(DeviceId, TopicKind.Events), _sent[seq]);
                }
            }

            await Task.Delay(250); // pacing: the simulated outbox looks for unacknowledged events four times a second
        }
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
