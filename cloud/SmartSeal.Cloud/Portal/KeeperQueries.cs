using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Portal;

/// <summary>A started inventory check, for the list on the keeper's inventory page.</summary>
public sealed record InventoryCheckSummary(long Id, string UnitId, string StartedBy, long StartedMs, string? ClosedBy, long? ClosedMs);

/// <summary>A stamp or a refusal a lock recorded where it was (for the map replay).</summary>
public sealed record MapEvent(string Kind, double Lat, double Lon, long AtMs, string SealId);

/// <summary>Reads the keeper desk needs that no service offers as a list.</summary>
public sealed class KeeperQueries(Database database)
{
    /// <summary>The newest inventory checks of units in the given subtrees (all when <paramref name="everything"/>).</summary>
    public async Task<IReadOnlyList<InventoryCheckSummary>> InventoryChecksAsync(bool everything, IReadOnlyList<string> unitIds, int limit, CancellationToken cancellationToken = default)
    {
        if (!everything && unitIds.Count == 0)
        {
            return [];
        }

        var parameters = new DynamicParameters(new { limit });
        string scope = everything ? "TRUE" : UnitSubtree.WithinAny(parameters, "u", "o", unitIds);
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<InventoryCheckSummary>(
            $"""
            SELECT c.id AS Id, c.unit_id AS UnitId, c.started_by AS StartedBy, c.started_ms AS StartedMs, c.closed_by AS ClosedBy, c.closed_ms AS ClosedMs
            FROM inventory_checks c JOIN org_units o ON o.id = c.unit_id
            WHERE {scope} ORDER BY c.id DESC LIMIT @limit
            """,
            parameters)).ToList();
    }

    /// <summary>Stamps and refusals a device recorded since <paramref name="fromMs"/>, with the position it reported (oldest first).</summary>
    public async Task<IReadOnlyList<MapEvent>> MapEventsAsync(string deviceId, long fromMs, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Kind, long AtMs, string SealId, string Payload)>(
            "SELECT kind, at_ms, seal_id, payload FROM ledger_entries WHERE device_id = @deviceId AND kind IN ('stamp', 'refusal') AND at_ms >= @fromMs ORDER BY at_ms LIMIT 2000",
            new { deviceId, fromMs });
        var events = new List<MapEvent>();
        foreach ((string kind, long atMs, string sealId, string payload) in rows)
        {
            IReadOnlyDictionary<string, string> fields = Ledger.LedgerCanon.Fields(payload);
            if (fields.TryGetValue("lat", out string? lat) && fields.TryGetValue("lon", out string? lon)
                && double.TryParse(lat, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double la)
                && double.TryParse(lon, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double lo))
            {
                events.Add(new MapEvent(kind, la, lo, atMs, sealId));
            }
        }

        return events;
    }
}
