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

    /// <summary>The user <paramref name="login"/> with their unit's path, or null when there is no such user or they are deactivated.</summary>
    public async Task<ActiveUser?> ActiveUserAsync(DbConnection connection, DbTransaction? transaction, string login) =>
        (await connection.QueryAsync<(string Login, string UnitId, string UnitPath, string? Post)>(
            "SELECT u.login, u.unit_id, o.path, u.post FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.login = @login AND u.active = TRUE",
            new { login }, transaction))
        .Select(u => new ActiveUser(u.Login, u.UnitId, u.UnitPath, u.Post))
        .SingleOrDefault();

    /// <summary>The delegations (<c>Organisation/</c>, for a period) that lend approval rights to <paramref name="toLogin"/> at <paramref name="atMs"/>.</summary>
    public async Task<IReadOnlyList<DelegationInForce>> DelegationsInForceAsync(DbConnection connection, string toLogin, long atMs) =>
        (await connection.QueryAsync<(string FromLogin, string? UnitId)>(
            "SELECT from_login, unit_id FROM delegations WHERE to_login = @toLogin AND revoked_ms IS NULL AND starts_ms <= @atMs AND ends_ms > @atMs",
            new { toLogin, atMs }))
        .Select(d => new DelegationInForce(d.FromLogin, d.UnitId))
        .ToList();

    /// <summary>
    /// Who holds one of <paramref name="posts"/> (职务) in one of <paramref name="unitIds"/> — members of the unit itself, active
    /// users only, ordered by login; with no units, in any unit (a chain checks that a post it names is held somewhere).
    /// </summary>
    public async Task<IReadOnlyList<PostHolder>> PostHoldersAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string>? unitIds, IReadOnlyList<string> posts)
    {
        if (unitIds is { Count: 0 } || posts.Count == 0)
        {
            return [];
        }

        var parameters = new DynamicParameters();
        string units = unitIds is null ? string.Empty : $"AND unit_id IN {SqlList.In(parameters, "unit", unitIds)}";
        return (await connection.QueryAsync<PostHolder>(
            $"SELECT login AS Login, post AS Post, unit_id AS UnitId FROM users WHERE active = TRUE AND post IN {SqlList.In(parameters, "post", posts)} {units} ORDER BY login",
            parameters, transaction)).ToList();
    }

    /// <summary>
    /// Who holds one of <paramref name="roles"/> directly on one of <paramref name="unitIds"/> (not inherited from
    /// above), active users only, ordered by login — an approval chain walks these upwards from a unit.
    /// </summary>
    public async Task<IReadOnlyList<RoleAssignment>> RoleHoldersAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> unitIds, IReadOnlyList<string> roles)
    {
        if (unitIds.Count == 0 || roles.Count == 0)
        {
            return [];
        }

        var parameters = new DynamicParameters();
        return (await connection.QueryAsync<RoleAssignment>(
            $"""
            SELECT r.login AS Login, r.role AS Role, r.unit_id AS UnitId FROM role_assignments r JOIN users u ON u.login = r.login
            WHERE r.unit_id IN {SqlList.In(parameters, "unit", unitIds)} AND r.role IN {SqlList.In(parameters, "role", roles)} AND u.active = TRUE
            ORDER BY r.login
            """,
            parameters, transaction)).ToList();
    }

    /// <summary>The paths (<c>/hq/gd/sz/</c>) of those of <paramref name="unitIds"/> that exist, by unit id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> UnitPathsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<string> unitIds) =>
        (await SqlList.QueryInChunksAsync<(string Id, string Path)>(connection, "SELECT id, path FROM org_units WHERE id IN {values}", unitIds, transaction: transaction))
            .ToDictionary(u => u.Id, u => u.Path, StringComparer.Ordinal);

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

    /// <summary>Which of <paramref name="logins"/> belong to active accounts (unknown and deactivated ones are left out).</summary>
    public async Task<IReadOnlySet<string>> ActiveLoginsAsync(IReadOnlyCollection<string> logins, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await SqlList.QueryInChunksAsync<string>(connection, "SELECT login FROM users WHERE active = TRUE AND login IN {values}", logins)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The people with these logins by login (unknown logins are left out): display name, post, unit
    /// and the unit's name, as records and reports print them beside a login; in the caller's
    /// transaction when there is one (the ingest batch's).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, PersonCard>> PeopleAsync(
        IEnumerable<string> logins, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken = default) =>
        (await SqlList.QueryInChunksAsync<PersonCard>(
            connection,
            "SELECT u.login AS Login, u.display_name AS Name, u.post AS Post, u.unit_id AS UnitId, o.name_zh AS Unit FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.login IN {values}",
            logins, transaction: transaction, cancellationToken: cancellationToken))
        .ToDictionary(p => p.Login, StringComparer.Ordinal);

    /// <inheritdoc cref="PeopleAsync(IEnumerable{string}, DbConnection, DbTransaction?, CancellationToken)"/>
    public async Task<IReadOnlyDictionary<string, PersonCard>> PeopleAsync(IEnumerable<string> logins, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await PeopleAsync(logins, connection, null, cancellationToken);
    }

    /// <summary>Units' Chinese names by id (unknown ids are left out).</summary>
    public async Task<IReadOnlyDictionary<string, string>> UnitNamesAsync(IEnumerable<string> unitIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await SqlList.QueryInChunksAsync<(string Id, string Name)>(connection, "SELECT id, name_zh FROM org_units WHERE id IN {values}", unitIds, cancellationToken: cancellationToken))
            .ToDictionary(u => u.Id, u => u.Name, StringComparer.Ordinal);
    }
}
