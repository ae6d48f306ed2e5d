using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Seals;

/// <summary>
/// The seal register's read API for other modules (owner of <c>seals</c> and the inventory tables): seals in a scope, facts about seals by id.
/// Methods are kept in alphabetical order; each takes ids or a scope and returns plain rows, so a
/// caller joins in memory instead of writing SQL on this module's tables.
/// </summary>
public sealed class SealDirectory(Database database)
{
    /// <summary>Ids per statement of the list queries (SQL lists stay short: binding costs the square of the parameters).</summary>
    private const int IdsPerStatement = 100;

    /// <summary>The database this module owns tables in (kept for the queries below).</summary>
    internal Database Database { get; } = database;

    /// <summary>One seal whatever the caller's scope (the caller decides who may see it), or null.</summary>
    public Task<Seal?> FindAsync(DbConnection connection, DbTransaction? transaction, string id) => SealRegistry.ReadAsync(connection, transaction, id);

    /// <summary>The ids of the seals of the subtrees of <paramref name="rootUnitIds"/> (none for no roots).</summary>
    public async Task<IReadOnlyList<string>> IdsInSubtreesAsync(IReadOnlyList<string> rootUnitIds, CancellationToken cancellationToken = default)
    {
        var parameters = new DynamicParameters();
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM seals WHERE {UnitSubtree.IdWithinAny(parameters, "root", "unit_id", rootUnitIds)}", parameters, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>The ids of the seals the register places in the lock <paramref name="deviceId"/>.</summary>
    public async Task<IReadOnlyList<string>> HeldByLockAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await IdsAtAsync(SealLocationKind.Lock, deviceId, connection, null);
    }

    /// <summary>
    /// In-use seals of <paramref name="unitIds"/>, in the order the units are given and by name within
    /// a unit, at most <paramref name="limit"/> (a chooser's list: the caller orders the units).
    /// </summary>
    public async Task<IReadOnlyList<SealListing>> InUseInUnitsAsync(IReadOnlyList<string> unitIds, int limit, CancellationToken cancellationToken = default)
    {
        var found = new List<SealListing>();
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        // Units in the given order, a chunk at a time: every seal of a chunk comes before the next
        // chunk's, so the list is complete once a chunk brings it to the limit.
        foreach (string[] chunk in unitIds.Chunk(IdsPerStatement))
        {
            if (found.Count >= limit)
            {
                break;
            }

            var rank = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string unitId in chunk)
            {
                rank.TryAdd(unitId, rank.Count);
            }

            var parameters = new DynamicParameters(new { inUse = Kebab.Of(SealState.InUse) });
            var rows = await connection.QueryAsync<SealListing>(
                $"SELECT id AS Id, name AS Name, type AS Type, unit_id AS UnitId FROM seals WHERE state = @inUse AND unit_id IN {SqlList.In(parameters, "u", chunk)} ORDER BY name",
                parameters);
            // OrderBy is stable: the database's name order stays within each unit.
            found.AddRange(rows.OrderBy(s => rank[s.UnitId]));
        }

        return found.Take(limit).ToList();
    }

    /// <summary>The newest inventory checks of <paramref name="unitIds"/> (null: of every unit), newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<InventoryCheckSummary>> InventoryChecksAsync(IReadOnlyList<string>? unitIds, int limit, CancellationToken cancellationToken = default)
    {
        const string Select = "SELECT id AS Id, unit_id AS UnitId, started_by AS StartedBy, started_ms AS StartedMs, closed_by AS ClosedBy, closed_ms AS ClosedMs FROM inventory_checks";
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        if (unitIds is null)
        {
            return (await connection.QueryAsync<InventoryCheckSummary>($"{Select} ORDER BY id DESC LIMIT @limit", new { limit })).AsList();
        }

        List<InventoryCheckSummary> found = await SqlList.QueryInChunksAsync<InventoryCheckSummary>(
            connection, $"{Select} WHERE unit_id IN {{values}} ORDER BY id DESC LIMIT @limit", unitIds, new { limit });
        return found.OrderByDescending(c => c.Id).Take(limit).ToList();
    }

    /// <summary>
    /// The seals kept in cabinet <paramref name="cabinetId"/>: in the cabinet itself or in one of
    /// its compartments (<c>{cabinet}/{n}</c>).
    /// </summary>
    public async Task<IReadOnlyList<string>> IdsInCabinetAsync(string cabinetId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(
            "SELECT id FROM seals WHERE location_kind = 'cabinet' AND (location_ref = @cabinet OR location_ref LIKE @prefix)",
            new { cabinet = cabinetId, prefix = cabinetId + "/%" })).AsList();
    }

    /// <summary>
    /// State, tag and place of the seals with these ids (unknown ids are left out), as the caller's
    /// transaction sees them; no caller scope: the caller checked access already.
    /// </summary>
    public async Task<IReadOnlyList<SealFacts>> FactsAsync(IReadOnlyList<string> ids, DbConnection connection, DbTransaction? transaction) =>
        await SqlList.QueryInChunksAsync<SealFacts>(
            connection,
            """
            SELECT id AS Id, name AS Name, state AS State, rfid_tag AS RfidTag, custodian AS Custodian, location_kind AS LocationKind,
                   location_ref AS LocationRef, location_ms AS LocationMs
            FROM seals WHERE id IN {values}
            """,
            ids,
            transaction: transaction);

    /// <summary>The seals whose place is exactly <paramref name="kind"/> <paramref name="reference"/> (a cabinet compartment holds at most one).</summary>
    public async Task<IReadOnlyList<string>> IdsAtAsync(SealLocationKind kind, string reference, DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<string>(
            "SELECT id FROM seals WHERE location_kind = @kind AND location_ref = @reference ORDER BY id",
            new { kind = Kebab.Of(kind), reference }, transaction)).AsList();

    /// <summary>Ids of the seals owned by one of <paramref name="unitIds"/> (the caller resolves subtrees).</summary>
    public async Task<IReadOnlyList<string>> IdsInUnitsAsync(IEnumerable<string> unitIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await SqlList.QueryInChunksAsync<string>(connection, "SELECT id FROM seals WHERE unit_id IN {values}", unitIds, cancellationToken: cancellationToken);
    }

    /// <summary>Seals' names by id (unknown ids, such as device or organisation chains, are left out).</summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string> sealIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await SqlList.QueryInChunksAsync<(string Id, string Name)>(connection, "SELECT id, name FROM seals WHERE id IN {values}", sealIds, cancellationToken: cancellationToken))
            .ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
    }
}
