using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Organisation;

/// <summary>
/// The organisation's read API for other modules (owner of <c>org_units</c>, <c>users</c>, <c>role_assignments</c>, <c>delegations</c>): units and their subtrees, people by login, role holders and delegations in force.
/// Methods are kept in alphabetical order; each takes ids or a scope and returns plain rows, so a
/// caller joins in memory instead of writing SQL on this module's tables.
/// </summary>
public sealed class OrgDirectory(Database database)
{
    /// <summary>The database this module owns tables in (kept for the queries below).</summary>
    internal Database Database { get; } = database;

    /// <summary>Name, post and unit name of the people with these logins (unknown logins are left out), as the caller's transaction sees them.</summary>
    public async Task<IReadOnlyList<PersonCard>> PeopleAsync(IReadOnlyList<string> logins, DbConnection connection, DbTransaction? transaction)
    {
        var people = new List<PersonCard>(logins.Count);
        foreach (string[] chunk in logins.Chunk(100))
        {
            var parameters = new DynamicParameters();
            string sql = $"SELECT u.login AS Login, u.display_name AS Name, u.post AS Post, o.name_zh AS Unit FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.login IN {SqlList.In(parameters, "l", chunk)}";
            people.AddRange(await connection.QueryAsync<PersonCard>(sql, parameters, transaction));
        }

        return people;
    }
}
