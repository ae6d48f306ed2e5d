using System.Diagnostics;

namespace SmartSeal.Cloud.Ingest;

/// <summary>
/// What each step of the ingest pipeline costs: wall time and allocated bytes per stage (each
/// handler by name, plus "commit"), summed over all batches and published as the counters
/// <c>smartseal_ingest_stage_microseconds_total{stage}</c> and
/// <c>smartseal_ingest_stage_allocated_bytes_total{stage}</c> (the benchmark divides their
/// growth by the events stored). Measured per batch, not per message, so always on: two
/// timestamps and two allocation reads per handler per batch of up to 500.
/// Allocations are read from the running thread's own counter, which is exact when the stage
/// ends on the thread it began on; a stage that resumed on another thread (a real network await)
/// adds its time but not its allocations, and <c>smartseal_ingest_stage_allocation_samples_total</c>
/// says how many batches did count (the process-wide figure is <c>smartseal_process_allocated_bytes</c>).
/// </summary>
public readonly struct IngestStageCosts
{
    private readonly CloudMetrics _metrics;
    private readonly KeyValuePair<string, object?> _stage;
    private readonly long _started;
    private readonly long _allocated;
    private readonly int _thread;

    private IngestStageCosts(CloudMetrics metrics, string stage)
    {
        _metrics = metrics;
        _stage = new KeyValuePair<string, object?>("stage", stage);
        _thread = Environment.CurrentManagedThreadId;
        _allocated = GC.GetAllocatedBytesForCurrentThread();
        _started = Stopwatch.GetTimestamp();
    }

    public static IngestStageCosts Start(CloudMetrics metrics, string stage) => new(metrics, stage);

    public void Stop()
    {
        long elapsed = Stopwatch.GetTimestamp() - _started;
        _metrics.IngestStageMicroseconds.Add(elapsed * 1_000_000.0 / Stopwatch.Frequency, _stage);
        _metrics.IngestStageBatches.Add(1, _stage);
        if (Environment.CurrentManagedThreadId == _thread)
        {
            _metrics.IngestStageAllocatedBytes.Add(GC.GetAllocatedBytesForCurrentThread() - _allocated, _stage);
            _metrics.IngestStageAllocationSamples.Add(1, _stage);
        }
    }
}
