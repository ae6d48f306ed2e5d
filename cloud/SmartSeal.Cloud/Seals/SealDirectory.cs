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
}
