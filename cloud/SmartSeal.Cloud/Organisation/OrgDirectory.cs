using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Organisation.Authorization;
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

    /// <summary>
    /// The ids of the user's own unit, its ancestors and its sub-units (the units on the user's line
    /// of the tree), ordered by path; none for an unknown login.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnitsOnLineOfUserAsync(string login, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(
            $"""
            SELECT o.id FROM org_units o, users u JOIN org_units uo ON uo.id = u.unit_id
            WHERE u.login = @login AND {UnitSubtree.SameLine("o", "uo")}
            ORDER BY o.path
            """,
            new { login })).AsList();
    }
}
