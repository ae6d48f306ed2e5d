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
    /// State, tag and place of the seals with these ids (unknown ids are left out), as the caller's
    /// transaction sees them; no caller scope: the caller checked access already.
    /// </summary>
    public async Task<IReadOnlyList<SealFacts>> FactsAsync(IReadOnlyList<string> ids, DbConnection connection, DbTransaction? transaction)
    {
        var facts = new List<SealFacts>(ids.Count);
        foreach (string[] chunk in ids.Chunk(100))
        {
            var parameters = new DynamicParameters();
            string sql = $"""
                SELECT id AS Id, name AS Name, state AS State, rfid_tag AS RfidTag, custodian AS Custodian, location_kind AS LocationKind,
                       location_ref AS LocationRef, location_ms AS LocationMs
                FROM seals WHERE id IN {SqlList.In(parameters, "s", chunk)}
                """;
            facts.AddRange(await connection.QueryAsync<SealFacts>(sql, parameters, transaction));
        }

        return facts;
    }

    /// <summary>The seals whose place is exactly <paramref name="kind"/> <paramref name="reference"/> (a cabinet compartment holds at most one).</summary>
    public async Task<IReadOnlyList<string>> IdsAtAsync(SealLocationKind kind, string reference, DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<string>(
            "SELECT id FROM seals WHERE location_kind = @kind AND location_ref = @reference ORDER BY id",
            new { kind = Kebab.Of(kind), reference }, transaction)).AsList();
}
