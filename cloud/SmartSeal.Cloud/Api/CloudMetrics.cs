using System.Diagnostics.Metrics;

namespace SmartSeal.Cloud;

/// <summary>The cloud's own metrics (OpenTelemetry meter <c>SmartSeal.Cloud</c>, scraped at <c>/metrics</c>).</summary>
public sealed class CloudMetrics
{
    public const string MeterName = "SmartSeal.Cloud";

    public CloudMetrics(IMeterFactory meterFactory)
    {
        Meter meter = meterFactory.Create(MeterName);
        MessagesReceived = meter.CreateCounter<long>("smartseal.ingest.received", description: "Device messages received from the broker");
        MessagesStored = meter.CreateCounter<long>("smartseal.ingest.stored", description: "Device messages stored (first delivery)");
        MessagesDuplicate = meter.CreateCounter<long>("smartseal.ingest.duplicates", description: "Redelivered device messages (already stored)");
        MessagesRefused = meter.CreateCounter<long>("smartseal.ingest.refused", description: "Device messages refused (forged, unknown device, malformed...)");
        ConnectionsRefused = meter.CreateCounter<long>("smartseal.broker.connections_refused", description: "Broker logins refused");
        BatchSize = meter.CreateHistogram<int>("smartseal.ingest.batch_size", description: "Messages per ingest batch");
        IngestLatency = meter.CreateHistogram<double>("smartseal.ingest.latency", unit: "ms", description: "Broker receipt to stored and acknowledged");
        ConnectedDevices = meter.CreateUpDownCounter<long>("smartseal.broker.connected_devices", description: "Devices connected to the embedded broker");

        // What each ingest stage costs (Ingest/IngestStageCosts): the benchmark's per-stage breakdown.
        IngestStageMicroseconds = meter.CreateCounter<double>("smartseal.ingest.stage_microseconds", description: "Wall time spent in each ingest stage (handler or commit), all batches");
        IngestStageBatches = meter.CreateCounter<long>("smartseal.ingest.stage_batches", description: "Batches each ingest stage ran for");
        IngestStageAllocatedBytes = meter.CreateCounter<long>("smartseal.ingest.stage_allocated_bytes", description: "Bytes allocated in each ingest stage, over the batches that ended on the thread they began on");
        IngestStageAllocationSamples = meter.CreateCounter<long>("smartseal.ingest.stage_allocation_samples", description: "Batches whose stage allocations were counted (ended on the thread they began on)");
        meter.CreateObservableCounter("smartseal.process.allocated_bytes", () => GC.GetTotalAllocatedBytes(), description: "Bytes the whole process allocated since start (GC.GetTotalAllocatedBytes)");
    }

    public Counter<long> MessagesReceived { get; }

    public Counter<long> MessagesStored { get; }

    public Counter<long> MessagesDuplicate { get; }

    public Counter<long> MessagesRefused { get; }

    public Counter<long> ConnectionsRefused { get; }

    public Histogram<int> BatchSize { get; }

    public Histogram<double> IngestLatency { get; }

    public UpDownCounter<long> ConnectedDevices { get; }

    public Counter<double> IngestStageMicroseconds { get; }

    public Counter<long> IngestStageBatches { get; }

    public Counter<long> IngestStageAllocatedBytes { get; }

    public Counter<long> IngestStageAllocationSamples { get; }
}
