using System.Data.Common;
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

    /// <summary>People by login (unknown logins are left out): their display name, unit and post, for reports that print who did what.</summary>
    public async Task<IReadOnlyDictionary<string, PersonFacts>> PeopleAsync(IEnumerable<string> logins, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await SqlList.QueryInChunksAsync<PersonFacts>(connection, logins,
                list => $"SELECT login AS Login, display_name AS DisplayName, unit_id AS UnitId, post AS Post FROM users WHERE login IN {list}", cancellationToken: cancellationToken))
            .ToDictionary(p => p.Login, StringComparer.Ordinal);
    }

    /// <summary>Units' Chinese names by id (unknown ids are left out).</summary>
    public async Task<IReadOnlyDictionary<string, string>> UnitNamesAsync(IEnumerable<string> unitIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await SqlList.QueryInChunksAsync<(string Id, string Name)>(connection, unitIds, list => $"SELECT id, name_zh FROM org_units WHERE id IN {list}", cancellationToken: cancellationToken))
            .ToDictionary(u => u.Id, u => u.Name, StringComparer.Ordinal);
    }
}
