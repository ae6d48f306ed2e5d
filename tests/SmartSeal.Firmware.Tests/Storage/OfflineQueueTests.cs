using System.Text;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Storage;

namespace SmartSeal.Firmware.Tests.Storage;

public class OfflineQueueTests
{
    private const int Events = 1;
    private const int Telemetry = 2;

    private static byte[] Payload(long seq) => Encoding.UTF8.GetBytes($"{{\"seq\":{seq}}}");

    private static OfflineQueue Open(FakePersistentStore store, int max = 8, int reserve = 3)
    {
        var queue = new OfflineQueue(store, max, reserve);
        queue.Load();
        return queue;
    }

    private static EnqueueResult Add(OfflineQueue queue, bool critical)
    {
        long seq = queue.NextSeq;
        return queue.Enqueue(seq, critical, critical ? Events : Telemetry, Payload(seq));
    }

    private static List<long> Pending(OfflineQueue queue) =>
        Enumerable.Range(0, queue.Count).Select(i => queue.Get(i)!.Seq).ToList();

    [Fact]
    public void Replays_in_seq_order_after_a_reboot_until_acknowledged()
    {
        var store = new FakePersistentStore(1 << 20);
        OfflineQueue queue = Open(store);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(EnqueueResult.Stored, Add(queue, critical: i % 2 == 0));
        }

        Assert.True(queue.Acknowledge(2));
        Assert.False(queue.Acknowledge(2));

        OfflineQueue rebooted = Open(store);
        Assert.Equal(new List<long> { 1, 3, 4, 5 }, Pending(rebooted));
        QueuedMessage first = rebooted.Get(0)!;
        Assert.True(first.Critical);
        Assert.Equal(Events, first.TopicKind);
        Assert.Equal(Payload(1), first.Envelope);
        Assert.Equal(6, rebooted.NextSeq);
    }

    [Fact]
    public void When_full_the_oldest_telemetry_goes_first_and_critical_events_never()
    {
        var store = new FakePersistentStore(1 << 20);
        OfflineQueue queue = Open(store, max: 6, reserve: 2);
        Add(queue, critical: true);   // 1
        Add(queue, critical: false);  // 2
        Add(queue, critical: false);  // 3
        Add(queue, critical: false);  // 4: telemetry may use 6 - 2 = 4 places

        Assert.Equal(EnqueueResult.StoredDroppedTelemetry, Add(queue, critical: false)); // 5 drops 2
        Assert.Equal(new List<long> { 1, 3, 4, 5 }, Pending(queue));
        Assert.Equal(EnqueueResult.Stored, Add(queue, critical: true)); // 6: uses the reserve
        Assert.Equal(EnqueueResult.Stored, Add(queue, critical: true)); // 7
        Assert.Equal(EnqueueResult.StoredDroppedTelemetry, Add(queue, critical: true)); // 8 drops 3
        Assert.Equal(EnqueueResult.StoredDroppedTelemetry, Add(queue, critical: true)); // 9 drops 4
        Assert.Equal(EnqueueResult.StoredDroppedTelemetry, Add(queue, critical: true)); // 10 drops 5
        Assert.Equal(new List<long> { 1, 6, 7, 8, 9, 10 }, Pending(queue));

        Assert.False(queue.HasRoomForCritical);
        Assert.Equal(EnqueueResult.Full, Add(queue, critical: true));
        Assert.Equal(EnqueueResult.Full, Add(queue, critical: false));
        Assert.Equal(new List<long> { 1, 6, 7, 8, 9, 10 }, Pending(queue));
        Assert.Equal(4, queue.DroppedTelemetry);
    }

    [Fact]
    public void A_failing_flash_is_reported_and_the_seq_is_not_consumed()
    {
        var store = new FakePersistentStore(300);
        OfflineQueue queue = Open(store);
        Assert.Equal(EnqueueResult.Stored, Add(queue, critical: true));
        long next = queue.NextSeq;
        long seq = queue.NextSeq;
        Assert.Equal(EnqueueResult.StorageFailed, queue.Enqueue(seq, true, Events, new byte[400]));
        Assert.Equal(next, queue.NextSeq);
    }

    /// <summary>
    /// Runs a fixed script of enqueues and acknowledgements, cutting the power before the k-th
    /// flash mutation for every k, rebooting and finishing the script. After every cut: no seq is
    /// ever handed out twice, and every critical message whose Enqueue returned is still there
    /// unless it was acknowledged. (A seq counts as used once its record is on flash: publishing
    /// only ever happens after that.)
    /// </summary>
    [Fact]
    public void Power_cut_at_every_step_never_loses_a_critical_event_or_reuses_a_seq()
    {
        var script = new (bool Enqueue, bool Critical, int AckIndex)[]
        {
            (true, true, 0), (true, false, 0), (true, true, 0), (false, false, 0), (true, false, 0),
            (true, true, 0), (false, false, 1), (true, true, 0), (false, false, 0), (true, false, 0),
        };

        var clean = new FakePersistentStore(1 << 20);
        RunScript(Open(clean), script, new HashSet<long>(), new HashSet<long>(), new HashSet<long>());
        int totalMutations = clean.MutationCount;
        Assert.True(totalMutations > 10);

        for (int cutAt = 0; cutAt <= totalMutations; cutAt++)
        {
            var store = new FakePersistentStore(1 << 20);
            store.CutPowerAfter(cutAt);
            var issued = new HashSet<long>();
            var storedCritical = new HashSet<long>();
            var acknowledged = new HashSet<long>();
            int done;
            try
            {
                done = RunScript(Open(store), script, issued, storedCritical, acknowledged);
            }
            catch (PowerCutException)
            {
                done = -1;
            }

            store.RestorePower();
            OfflineQueue rebooted = Open(store);
            List<long> pending = Pending(rebooted);
            issued.UnionWith(pending); // a cut after the record was written: it will be replayed, so it counts as used

            foreach (long seq in storedCritical.Except(acknowledged))
            {
                Assert.Contains(seq, pending);
            }

            Assert.True(rebooted.NextSeq > (issued.Count == 0 ? 0 : issued.Max()), $"cut at {cutAt}: seq would be reused");

            // Acknowledge everything pending (as the cloud would after the replay), reboot again: still no reuse.
            foreach (long seq in pending)
            {
                rebooted.Acknowledge(seq);
            }

            OfflineQueue again = Open(store);
            Assert.True(again.NextSeq > (issued.Count == 0 ? 0 : issued.Max()), $"cut at {cutAt}: seq reused after acks");
            Assert.Equal(0, again.Count);
            Assert.True(done != 0 || cutAt == totalMutations);
        }
    }

    private static int RunScript(OfflineQueue queue, (bool Enqueue, bool Critical, int AckIndex)[] script, HashSet<long> issued, HashSet<long> storedCritical, HashSet<long> acknowledged)
    {
        int steps = 0;
        foreach (var step in script)
        {
            if (step.Enqueue)
            {
                long seq = queue.NextSeq;
                EnqueueResult result = queue.Enqueue(seq, step.Critical, step.Critical ? Events : Telemetry, Payload(seq));
                issued.Add(seq); // only now may it be published; a seq that never reached flash was never sent
                if (step.Critical && result == EnqueueResult.Stored)
                {
                    storedCritical.Add(seq);
                }
            }
            else if (queue.Count > step.AckIndex)
            {
                long seq = queue.Get(step.AckIndex)!.Seq;
                acknowledged.Add(seq);
                queue.Acknowledge(seq);
            }

            steps++;
        }

        return steps;
    }
}
