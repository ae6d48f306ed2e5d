using System.Data.Common;

namespace SmartSeal.Cloud.Ingest;

/// <summary>
/// The messages the pipeline handles together. Handlers between <see cref="IngestStage.Store"/> and
/// <see cref="IngestStage.AfterCommit"/> share one database transaction, so a batch is stored
/// entirely or not at all (then it is retried: dedupe makes that safe).
/// </summary>
public sealed class IngestBatch(IReadOnlyList<IngestItem> items, long serverMs)
{
    public IReadOnlyList<IngestItem> Items { get; } = items;

    /// <summary>Server time of the batch (Unix ms): what "now" means for time sanity.</summary>
    public long ServerMs { get; } = serverMs;

    public DbConnection? Connection { get; set; }

    public DbTransaction? Transaction { get; set; }

    public IEnumerable<IngestItem> Where(IngestOutcome outcome) => Items.Where(i => i.Outcome == outcome);

    /// <summary>Items stored for the first time whose body is of type <typeparamref name="T"/>.</summary>
    public IEnumerable<(IngestItem Item, T Body)> Stored<T>()
        where T : class => Items.Where(i => i.Outcome == IngestOutcome.Stored && i.Body is T).Select(i => (i, (T)(object)i.Body!));
}
