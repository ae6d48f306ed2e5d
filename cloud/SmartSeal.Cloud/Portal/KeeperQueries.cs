using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Portal;

/// <summary>A started inventory check, for the list on the keeper's inventory page.</summary>
public sealed record InventoryCheckSummary(long Id, string UnitId, string StartedBy, long StartedMs, string? ClosedBy, long? ClosedMs);

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
        var names = new List<string>();
        for (int i = 0; i < unitIds.Count; i++)
        {
            parameters.Add("u" + i, unitIds[i]);
            names.Add("@u" + i);
        }

        string scope = everything ? "TRUE" : $"EXISTS (SELECT 1 FROM org_units r WHERE r.id IN ({string.Join(", ", names)}) AND o.path LIKE r.path || '%')";
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<InventoryCheckSummary>(
            $"""
            SELECT c.id AS Id, c.unit_id AS UnitId, c.started_by AS StartedBy, c.started_ms AS StartedMs, c.closed_by AS ClosedBy, c.closed_ms AS ClosedMs
            FROM inventory_checks c JOIN org_units o ON o.id = c.unit_id
            WHERE {scope} ORDER BY c.id DESC LIMIT @limit
            """,
            parameters)).ToList();
    }
}
