namespace SmartSeal.Cloud.Ingest;

/// <summary>
/// One step of the ingest pipeline (Traccar-style: an explicit ordered list). Handlers never talk
/// to the broker or the network except the acknowledge and notify stages; decoders never store.
/// </summary>
public interface IIngestHandler
{
    /// <summary>Where the handler runs; within a stage, handlers run in registration order.</summary>
    IngestStage Stage { get; }

    Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken);
}

public enum IngestStage
{
    /// <summary>Topic, device, envelope, MAC, direction, body; rate limit. No storage.</summary>
    Verify = 0,

    /// <summary>Dedupe on (device, seq) and store the raw record, inside the batch transaction.</summary>
    Store = 1,

    /// <summary>Domain handlers on stored items (positions, presence, alarms, photos, results, ledger), same transaction.</summary>
    Domain = 2,

    /// <summary>After commit: acknowledge to devices, record refusals, notify listeners.</summary>
    AfterCommit = 3,
}
