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

    /// <summary>The database's dialect, for the few statements that differ (row locks).</summary>
    public Storage.SqlDialect Dialect { get; set; } = Storage.SqlDialect.Sqlite;

    private readonly Dictionary<string, object?> _memo = new(StringComparer.Ordinal);

    /// <summary>
    /// A value looked up once per batch (a token, an application's facts): many messages of a
    /// batch name the same one, and handlers of the same transaction need the same answer.
    /// Not for anything a handler of this batch changes before another reads it.
    /// </summary>
    public async Task<T> MemoAsync<T>(string key, Func<Task<T>> load)
    {
        if (_memo.TryGetValue(key, out object? known))
        {
            return (T)known!;
        }

        T value = await load();
        _memo[key] = value;
        return value;
    }

    /// <summary>Records a value looked up for many keys at once (a batch-wide prefetch), as <see cref="MemoAsync"/> would have.</summary>
    public void Remember<T>(string key, T value) => _memo[key] = value;

    /// <summary>Per-batch state a handler keeps across the batch's items (created on first use).</summary>
    public T Shared<T>(string key, Func<T> create)
        where T : class
    {
        if (_memo.TryGetValue(key, out object? known))
        {
            return (T)known!;
        }

        T value = create();
        _memo[key] = value;
        return value;
    }

    public IEnumerable<IngestItem> Where(IngestOutcome outcome) => Items.Where(i => i.Outcome == outcome);

    /// <summary>Items stored for the first time whose body is of type <typeparamref name="T"/>.</summary>
    public IEnumerable<(IngestItem Item, T Body)> Stored<T>()
        where T : class => Items.Where(i => i.Outcome == IngestOutcome.Stored && i.Body is T).Select(i => (i, (T)(object)i.Body!));
}
