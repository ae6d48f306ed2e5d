using System.Data.Common;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Seals;

/// <summary>
/// The seal register's read API for other modules (owner of <c>seals</c> and the inventory tables): seals in a scope, facts about seals by id.
/// Methods are kept in alphabetical order; each takes ids or a scope and returns plain rows, so a
/// caller joins in memory instead of writing SQL on this module's tables.
/// </summary>
public sealed class SealDirectory(Database database)
{
    /// <summary>The database this module owns tables in (kept for the queries below).</summary>
    internal Database Database { get; } = database;

    /// <summary>Ids of the seals owned by one of <paramref name="unitIds"/> (the caller resolves subtrees).</summary>
    public async Task<IReadOnlyList<string>> IdsInUnitsAsync(IEnumerable<string> unitIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await SqlList.QueryInChunksAsync<string>(connection, unitIds, list => $"SELECT id FROM seals WHERE unit_id IN {list}", cancellationToken: cancellationToken);
    }

    /// <summary>Seals' names by id (unknown ids, such as device or organisation chains, are left out).</summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string> sealIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await SqlList.QueryInChunksAsync<(string Id, string Name)>(connection, sealIds, list => $"SELECT id, name FROM seals WHERE id IN {list}", cancellationToken: cancellationToken))
            .ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
    }
}
