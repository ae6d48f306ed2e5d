using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// Reads the ledger within a caller's <see cref="ILedgerScope"/>: search pages (newest first,
/// keyset on the entry id) and full streams in chain-independent recording order for exports.
/// SQL on <c>ledger_entries</c> only: <see cref="ILedgerChains"/> gives the chain and application
/// ids to read; the named queries below serve reports (events of a period, the oldest entry, the
/// first entry that mentions a photo) with ids in, rows out.
/// </summary>
public sealed class LedgerReader(Database database, ILedgerChains chainIds)
{
    private static readonly string Columns = string.Join(", ", LedgerQueries.Columns.Split(',').Select(c => "e." + c.Trim()));

    /// <summary>One page, newest first: entries with an id below <paramref name="beforeId"/> (none: from the newest).</summary>
    public async Task<IReadOnlyList<StoredLedgerEntry>> SearchAsync(ILedgerScope scope, LedgerFilter filter, long? beforeId, int limit, CancellationToken cancellationToken = default)
    {
        if (await SelectAsync(scope, filter, cancellationToken) is not { } selection)
        {
            return [];
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await PageAsync(connection, selection, filter, beforeId, ascendingAfter: null, Math.Clamp(limit, 1, 1000));
    }

    /// <summary>Every matching entry, oldest first, read in pages so memory stays flat however long the ledger.</summary>
    public async IAsyncEnumerable<StoredLedgerEntry> StreamAsync(ILedgerScope scope, LedgerFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const int page = 1000;
        Selection? selection = await SelectAsync(scope, filter, cancellationToken);
        if (selection is null)
        {
            yield break;
        }

        long after = 0;
        while (true)
        {
            IReadOnlyList<StoredLedgerEntry> entries;
            await using (DbConnection connection = await database.OpenAsync(cancellationToken))
            {
                entries = await PageAsync(connection, selection, filter, beforeId: null, ascendingAfter: after, page);
            }

            foreach (StoredLedgerEntry entry in entries)
            {
                yield return entry;
            }

            if (entries.Count < page)
            {
                yield break;
            }

            after = entries[^1].Id;
        }
    }

    /// <summary>Whether the caller may read the chain <paramref name="sealId"/> (a seal, <c>device:{id}</c> or <c>org:{unit}</c>).</summary>
    public async Task<bool> CanReadChainAsync(ILedgerScope scope, string sealId, CancellationToken cancellationToken = default)
    {
        if (scope.Everything)
        {
            return true;
        }

        return await chainIds.ChainsAsync(scope, null, cancellationToken) is not { } chains || chains.Contains(sealId, StringComparer.Ordinal);
    }

    /// <summary>
    /// Entries of <paramref name="kinds"/> recorded in [<paramref name="fromMs"/>, <paramref name="toMs"/>) on
    /// <paramref name="chains"/> (null: every chain), with the payload only for entries of kind
    /// <paramref name="payloadOf"/> (empty otherwise: a quarter's stamps need no payload).
    /// </summary>
    public async Task<IReadOnlyList<LedgerEvent>> EventsAsync(IReadOnlyCollection<string>? chains, IReadOnlyList<string> kinds, string? payloadOf, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        var fixedParameters = new DynamicParameters(new { fromMs, toMs, payloadOf });
        string sql = $"""
            SELECT seal_id, kind, at_ms, CASE WHEN kind = @payloadOf THEN payload ELSE '' END
            FROM ledger_entries WHERE kind IN {SqlList.In(fixedParameters, "kind", kinds)} AND at_ms >= @fromMs AND at_ms < @toMs
            """;
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        IEnumerable<(string SealId, string Kind, long AtMs, string Payload)> rows = chains is null // a tuple: Dapper converts SQLite's CASE value to text
            ? await connection.QueryAsync<(string, string, long, string)>(new CommandDefinition(sql, fixedParameters, cancellationToken: cancellationToken))
            : await SqlList.QueryInChunksAsync<(string, string, long, string)>(connection, $"{sql} AND seal_id IN {{values}}", chains, fixedParameters, cancellationToken: cancellationToken);
        return rows.Select(r => new LedgerEvent(r.SealId, r.Kind, r.AtMs, r.Payload)).ToList();
    }

    /// <summary>
    /// The first entry recorded since <paramref name="sinceMs"/> whose payload contains
    /// <paramref name="text"/>, or, for one of <paramref name="quotedOnDevice"/>, an entry of that
    /// device whose payload contains the value in double quotes (a field value); null for none.
    /// </summary>
    public async Task<long?> FirstMentionSinceAsync(long sinceMs, string text, IReadOnlyList<(string DeviceId, string Value)> quotedOnDevice, CancellationToken cancellationToken = default)
    {
        const string sql = "SELECT MIN(id) FROM ledger_entries WHERE at_ms >= @sinceMs AND (payload LIKE '%' || @text || '%'{0})";
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        long? first = null;
        IEnumerable<(string DeviceId, string Value)[]> chunks = quotedOnDevice.Count == 0 ? [[]] : quotedOnDevice.Chunk(50);
        foreach ((string DeviceId, string Value)[] chunk in chunks)
        {
            var parameters = new DynamicParameters(new { sinceMs, text });
            var mentions = new System.Text.StringBuilder();
            for (int i = 0; i < chunk.Length; i++)
            {
                parameters.Add("d" + i, chunk[i].DeviceId);
                parameters.Add("q" + i, chunk[i].Value);
                mentions.Append(CultureInfo.InvariantCulture, $" OR (device_id = @d{i} AND payload LIKE '%\"' || @q{i} || '\"%')");
            }

            long? found = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(string.Format(CultureInfo.InvariantCulture, sql, mentions), parameters, cancellationToken: cancellationToken));
            first = found is null ? first : Math.Min(found.Value, first ?? long.MaxValue);
        }

        return first;
    }

    /// <summary>When the oldest entry was recorded; null for an empty ledger.</summary>
    public async Task<long?> OldestAtMsAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MIN(at_ms) FROM ledger_entries", cancellationToken: cancellationToken));
    }

    /// <summary>Stamps and refusals a device recorded since <paramref name="fromMs"/> with the position it reported, oldest first (entries without one are left out).</summary>
    public async Task<IReadOnlyList<LocatedEvent>> LocatedEventsAsync(string deviceId, long fromMs, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Kind, long AtMs, string SealId, string Payload)>(
            "SELECT kind, at_ms, seal_id, payload FROM ledger_entries WHERE device_id = @deviceId AND kind IN ('stamp', 'refusal') AND at_ms >= @fromMs ORDER BY at_ms LIMIT 2000",
            new { deviceId, fromMs });
        var events = new List<LocatedEvent>();
        foreach ((string kind, long atMs, string sealId, string payload) in rows)
        {
            IReadOnlyDictionary<string, string> fields = LedgerCanon.Fields(payload);
            if (fields.TryGetValue("lat", out string? lat) && fields.TryGetValue("lon", out string? lon)
                && double.TryParse(lat, NumberStyles.Float, CultureInfo.InvariantCulture, out double la)
                && double.TryParse(lon, NumberStyles.Float, CultureInfo.InvariantCulture, out double lo))
            {
                events.Add(new LocatedEvent(kind, la, lo, atMs, sealId));
            }
        }

        return events;
    }

    /// <summary>The ids a search reads: chains (null: all) and a person's applications (null: no person filter); null when nothing can match.</summary>
    private sealed record Selection(IReadOnlyList<string>? Chains, IReadOnlyList<string>? Applications);

    private async Task<Selection?> SelectAsync(ILedgerScope scope, LedgerFilter filter, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? chains = scope.Everything && filter.UnitId is null ? null : await chainIds.ChainsAsync(scope, filter.UnitId, cancellationToken);
        if (chains is { Count: 0 })
        {
            return null;
        }

        IReadOnlyList<string>? applications = filter.Person is null ? null : await chainIds.ApplicationsOfAsync(filter.Person, cancellationToken);
        return new Selection(chains, applications);
    }

    private static async Task<IReadOnlyList<StoredLedgerEntry>> PageAsync(DbConnection connection, Selection selection, LedgerFilter filter, long? beforeId, long? ascendingAfter, int limit)
    {
        var parameters = new DynamicParameters(new
        {
            filter.SealId, filter.Person, filter.DeviceId, filter.ApplicationId, filter.Kind,
            FromMs = filter.FromMs ?? 0, ToMs = filter.ToMs ?? long.MaxValue, beforeId, after = ascendingAfter, limit,
        });
        string chains = selection.Chains is null ? "TRUE" : "e.seal_id IN " + SqlList.In(parameters, "chain", selection.Chains);
        string person = selection.Applications switch
        {
            null => "TRUE",
            { Count: 0 } => "e.actor = @Person",
            var applications => $"(e.actor = @Person OR e.application_id IN {SqlList.In(parameters, "app", applications)})",
        };
        string order = ascendingAfter is null ? "e.id DESC" : "e.id";
        return (await connection.QueryAsync<StoredLedgerEntry>(
            $"""
            SELECT {Columns} FROM ledger_entries e
            WHERE {chains}
              AND {person}
              AND (@SealId IS NULL OR e.seal_id = @SealId)
              AND (@DeviceId IS NULL OR e.device_id = @DeviceId)
              AND (@ApplicationId IS NULL OR e.application_id = @ApplicationId)
              AND (@Kind IS NULL OR e.kind = @Kind)
              AND e.at_ms >= @FromMs AND e.at_ms <= @ToMs
              AND (@beforeId IS NULL OR e.id < @beforeId)
              AND (@after IS NULL OR e.id > @after)
            ORDER BY {order} LIMIT @limit
            """,
            parameters)).ToList();
    }
}
