namespace SmartSeal.Cloud.Ingest;

/// <summary>
/// One step of the ingest pipeline (Traccar-style: an explicit ordered list). Handlers never talk
/// to the broker or the network except the acknowledge and notify stages; decoders never store.
/// </summary>
public interface IIngestHandler
{
    /// <summary>Where the handler runs; <see cref="IngestPipeline"/> lists the handlers in order and checks their stages ascend.</summary>
    IngestStage Stage { get; }

    Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken);
}

public enum IngestStage
{
    /// <summary>Topic, device, envelope, MAC, direction, body; rate limit. No storage.</summary>
    Verify = 0,

    /// <summary>Dedupe on (device, seq) and store the raw record, inside the batch transaction.</summary>
    Store = 1,

    /// <summary>Device–seal binding: stored events about a seal or token the sending device has no part in are refused, same transaction.</summary>
    Bind = 2,

    /// <summary>Domain handlers on stored items (positions, presence, alarms, photos, results, ledger), same transaction.</summary>
    Domain = 3,

    /// <summary>After commit: acknowledge to devices, record refusals, notify listeners.</summary>
    AfterCommit = 4,
}
