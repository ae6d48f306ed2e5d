using System.Data.Common;
using Dapper;
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
}
