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

    /// <summary>Which of <paramref name="logins"/> belong to active accounts (unknown and deactivated ones are left out).</summary>
    public async Task<IReadOnlySet<string>> ActiveLoginsAsync(IReadOnlyCollection<string> logins, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await SqlList.QueryInChunksAsync<string>(connection, "SELECT login FROM users WHERE active = TRUE AND login IN {values}", logins)).ToHashSet(StringComparer.Ordinal);
    }
}
