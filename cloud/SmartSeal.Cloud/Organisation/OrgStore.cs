using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Identity;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Organisation;

/// <summary>
/// Units, users, role assignments and delegations. Each change commits together with its ledger
/// entry (kind "admin", chain <c>org:{unit}</c>), so no admin action goes unrecorded.
/// </summary>
public sealed partial class OrgStore(Database database, IAdminAuditTrail auditTrail, IPasswordHasher<UserAccount> hasher, TimeProvider time)
{
    public static readonly string[] AllRoles = [Roles.Applicant, Roles.Approver, Roles.Keeper, Roles.Auditor, Roles.SysAdmin];

    private const string UnitColumns = "id AS Id, parent_id AS ParentId, path AS Path, name_zh AS NameZh, name_en AS NameEn";
    private const string UserColumns = "login AS Login, display_name AS DisplayName, unit_id AS UnitId, post AS Post, active AS Active";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex UnitIdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{1,63}$")]
    private static partial Regex LoginPattern();

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<ChangeResult<OrgUnit>> CreateUnitAsync(string? id, string? parentId, string? nameZh, string? nameEn, string actor, CancellationToken cancellationToken = default)
    {
        var problems = new Dictionary<string, string[]>();
        if (id is null || !UnitIdPattern().IsMatch(id))
        {
            problems["id"] = ["1-32 lower-case letters, digits or '-'"];
        }

        if (string.IsNullOrWhiteSpace(nameZh))
        {
            problems["nameZh"] = ["is required"];
        }

        if (problems.Count > 0)
        {
            return ChangeResult<OrgUnit>.Invalid(problems);
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM org_units WHERE id = @id", new { id }, transaction) > 0)
        {
            return ChangeResult<OrgUnit>.Conflict($"unit {id} exists");
        }

        string path = "/" + id + "/";
        if (parentId is not null)
        {
            OrgUnit? parent = await connection.QuerySingleOrDefaultAsync<OrgUnit>($"SELECT {UnitColumns} FROM org_units WHERE id = @parentId", new { parentId }, transaction);
            if (parent is null)
            {
                return ChangeResult<OrgUnit>.Invalid("parentId", $"no unit {parentId}");
            }

            path = parent.Path + id + "/";
        }
        else if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM org_units WHERE parent_id IS NULL", transaction: transaction) > 0)
        {
            return ChangeResult<OrgUnit>.Invalid("parentId", "the organisation already has its root unit; name the parent");
        }

        var unit = new OrgUnit(id!, parentId, path, nameZh!.Trim(), nameEn?.Trim());
        int inserted = await connection.ExecuteAsync(
            "INSERT INTO org_units (id, parent_id, path, name_zh, name_en, created_ms) VALUES (@Id, @ParentId, @Path, @NameZh, @NameEn, @now) ON CONFLICT DO NOTHING",
            new { unit.Id, unit.ParentId, unit.Path, unit.NameZh, unit.NameEn, now = Now }, transaction);
        if (inserted == 0)
        {
            return ChangeResult<OrgUnit>.Conflict($"unit {id} exists");
        }

        await auditTrail.UnitActionAsync(connection, transaction, unit.Id, actor, Now, "unit-created",
            new() { ["unit"] = unit.Id, ["parent"] = parentId ?? string.Empty, ["name"] = unit.NameZh });
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<OrgUnit>.Ok(unit);
    }

    public async Task<IReadOnlyList<OrgUnit>> ListUnitsAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<OrgUnit>($"SELECT {UnitColumns} FROM org_units ORDER BY path")).ToList();
    }

    /// <summary>The ids of <paramref name="roots"/> and every unit below them.</summary>
    public async Task<IReadOnlySet<string>> SubtreesAsync(IReadOnlyList<string> roots, CancellationToken cancellationToken = default)
    {
        if (roots.Count == 0)
        {
            return new HashSet<string>();
        }

        var parameters = new DynamicParameters();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>($"SELECT u.id FROM org_units u WHERE {UnitSubtree.WithinAny(parameters, "root", "u", roots)}", parameters)).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<OrgUnit?> FindUnitAsync(string id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<OrgUnit>($"SELECT {UnitColumns} FROM org_units WHERE id = @id", new { id });
    }

    public async Task<ChangeResult<UserAccount>> CreateUserAsync(string? login, string? displayName, string? unitId, string? post, string? password, string actor, CancellationToken cancellationToken = default)
    {
        var problems = new Dictionary<string, string[]>();
        if (login is null || !LoginPattern().IsMatch(login))
        {
            problems["login"] = ["2-64 lower-case letters, digits, '.', '_' or '-'"];
        }

        if (string.IsNullOrWhiteSpace(displayName))
        {
            problems["displayName"] = ["is required"];
        }

        if (string.IsNullOrWhiteSpace(unitId))
        {
            problems["unitId"] = ["is required"];
        }

        if (login is not null && PasswordPolicy.Check(login, password) is { Length: > 0 } weak)
        {
            problems["password"] = weak;
        }

        if (problems.Count > 0)
        {
            return ChangeResult<UserAccount>.Invalid(problems);
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM org_units WHERE id = @unitId", new { unitId }, transaction) == 0)
        {
            return ChangeResult<UserAccount>.Invalid("unitId", $"no unit {unitId}");
        }

        var user = new UserAccount(login!, displayName!.Trim(), unitId!, post?.Trim(), true);
        int inserted = await connection.ExecuteAsync(
            """
            INSERT INTO users (login, display_name, unit_id, post, active, password_hash, failed_logins, locked_until_ms, created_ms)
            VALUES (@Login, @DisplayName, @UnitId, @Post, TRUE, @hash, 0, 0, @now) ON CONFLICT DO NOTHING
            """,
            new { user.Login, user.DisplayName, user.UnitId, user.Post, hash = hasher.HashPassword(user, password!), now = Now }, transaction);
        if (inserted == 0)
        {
            return ChangeResult<UserAccount>.Conflict($"user {login} exists");
        }

        await auditTrail.UnitActionAsync(connection, transaction, user.UnitId, actor, Now, "user-created",
            new() { ["login"] = user.Login, ["name"] = user.DisplayName, ["post"] = user.Post ?? string.Empty });
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<UserAccount>.Ok(user);
    }

    /// <summary>Sets a new password (an admin reset or the user's own change) and clears any lockout.</summary>
    public async Task<ChangeResult<UserAccount>> SetPasswordAsync(string login, string? password, string actor, CancellationToken cancellationToken = default)
    {
        if (PasswordPolicy.Check(login, password) is { Length: > 0 } weak)
        {
            return ChangeResult<UserAccount>.Invalid("password", weak);
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        UserAccount? user = (await connection.QuerySingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE login = @login", new { login }, transaction))?.ToAccount();
        if (user is null)
        {
            return ChangeResult<UserAccount>.NotFound($"no user {login}");
        }

        await connection.ExecuteAsync("UPDATE users SET password_hash = @hash, failed_logins = 0, locked_until_ms = 0 WHERE login = @login",
            new { login, hash = hasher.HashPassword(user, password!) }, transaction);
        await auditTrail.UnitActionAsync(connection, transaction, user.UnitId, actor, Now, "password-set", new() { ["login"] = login });
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<UserAccount>.Ok(user);
    }

    /// <summary>Deactivating a user also revokes every token they hold.</summary>
    public async Task<ChangeResult<UserAccount>> SetActiveAsync(string login, bool active, string actor, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        UserAccount? user = (await connection.QuerySingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE login = @login", new { login }, transaction))?.ToAccount();
        if (user is null)
        {
            return ChangeResult<UserAccount>.NotFound($"no user {login}");
        }

        await connection.ExecuteAsync("UPDATE users SET active = @active WHERE login = @login", new { login, active }, transaction);
        if (!active)
        {
            await connection.ExecuteAsync("UPDATE api_tokens SET revoked_ms = @now WHERE login = @login AND revoked_ms IS NULL", new { login, now = Now }, transaction);
        }

        await auditTrail.UnitActionAsync(connection, transaction, user.UnitId, actor, Now, active ? "user-activated" : "user-deactivated", new() { ["login"] = login });
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<UserAccount>.Ok(user with { Active = active });
    }

    /// <summary>Moves a user to another unit and/or post (调动); applications already routed to them re-route when they next act (Applications/).</summary>
    public async Task<ChangeResult<UserAccount>> PlaceUserAsync(string login, string? unitId, string? post, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(unitId))
        {
            return ChangeResult<UserAccount>.Invalid("unitId", "is required");
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        UserAccount? user = (await connection.QuerySingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE login = @login", new { login }, transaction))?.ToAccount();
        if (user is null)
        {
            return ChangeResult<UserAccount>.NotFound($"no user {login}");
        }

        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM org_units WHERE id = @unitId", new { unitId }, transaction) == 0)
        {
            return ChangeResult<UserAccount>.Invalid("unitId", $"no unit {unitId}");
        }

        string? newPost = string.IsNullOrWhiteSpace(post) ? null : post.Trim();
        await connection.ExecuteAsync("UPDATE users SET unit_id = @unitId, post = @newPost WHERE login = @login", new { login, unitId, newPost }, transaction);
        await auditTrail.UnitActionAsync(connection, transaction, unitId, actor, Now, "user-placed",
            new() { ["login"] = login, ["from"] = user.UnitId, ["post"] = newPost ?? string.Empty });
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<UserAccount>.Ok(user with { UnitId = unitId, Post = newPost });
    }

    public async Task<UserAccount?> FindUserAsync(string login, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE login = @login", new { login }))?.ToAccount();
    }

    public async Task<IReadOnlyList<UserAccount>> ListUsersAsync(string? unitId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<UserRow>(
            $"SELECT {UserColumns} FROM users WHERE @unitId IS NULL OR unit_id = @unitId ORDER BY login", new { unitId })).Select(r => r.ToAccount()).ToList();
    }

    public async Task<ChangeResult<RoleAssignment>> GrantRoleAsync(string login, string? role, string? unitId, string actor, CancellationToken cancellationToken = default)
    {
        if (role is null || !AllRoles.Contains(role))
        {
            return ChangeResult<RoleAssignment>.Invalid("role", "one of " + string.Join(", ", AllRoles));
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE login = @login", new { login }, transaction) == 0)
        {
            return ChangeResult<RoleAssignment>.NotFound($"no user {login}");
        }

        if (unitId is null || await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM org_units WHERE id = @unitId", new { unitId }, transaction) == 0)
        {
            return ChangeResult<RoleAssignment>.Invalid("unitId", $"no unit {unitId}");
        }

        var assignment = new RoleAssignment(login, role, unitId);
        int inserted = await connection.ExecuteAsync(
            "INSERT INTO role_assignments (login, role, unit_id, created_ms) VALUES (@Login, @Role, @UnitId, @now) ON CONFLICT DO NOTHING",
            new { assignment.Login, assignment.Role, assignment.UnitId, now = Now }, transaction);
        if (inserted == 0)
        {
            return ChangeResult<RoleAssignment>.Conflict($"{login} already is {role} of {unitId}");
        }

        await auditTrail.UnitActionAsync(connection, transaction, unitId, actor, Now, "role-granted", new() { ["login"] = login, ["role"] = role });
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<RoleAssignment>.Ok(assignment);
    }

    public async Task<ChangeResult<RoleAssignment>> RevokeRoleAsync(string login, string role, string unitId, string actor, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        int deleted = await connection.ExecuteAsync("DELETE FROM role_assignments WHERE login = @login AND role = @role AND unit_id = @unitId", new { login, role, unitId }, transaction);
        if (deleted == 0)
        {
            return ChangeResult<RoleAssignment>.NotFound($"{login} is not {role} of {unitId}");
        }

        await auditTrail.UnitActionAsync(connection, transaction, unitId, actor, Now, "role-revoked", new() { ["login"] = login, ["role"] = role });
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<RoleAssignment>.Ok(new RoleAssignment(login, role, unitId));
    }

    public async Task<IReadOnlyList<RoleAssignment>> RolesOfAsync(string login, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<RoleAssignment>(
            "SELECT login AS Login, role AS Role, unit_id AS UnitId FROM role_assignments WHERE login = @login ORDER BY role, unit_id", new { login })).ToList();
    }

    public async Task<ChangeResult<Delegation>> DelegateAsync(string? fromLogin, string? toLogin, string? unitId, long startsMs, long endsMs, string? reason, string actor, CancellationToken cancellationToken = default)
    {
        var problems = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(fromLogin))
        {
            problems["fromLogin"] = ["is required"];
        }

        if (string.IsNullOrEmpty(toLogin) || toLogin == fromLogin)
        {
            problems["toLogin"] = ["is required and must be another user"];
        }

        if (endsMs <= startsMs)
        {
            problems["endsMs"] = ["must be after startsMs"];
        }
        else if (endsMs <= Now)
        {
            problems["endsMs"] = ["must be in the future"];
        }

        if (problems.Count > 0)
        {
            return ChangeResult<Delegation>.Invalid(problems);
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        UserAccount? from = (await connection.QuerySingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE login = @fromLogin", new { fromLogin }, transaction))?.ToAccount();
        if (from is null || await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE login = @toLogin", new { toLogin }, transaction) == 0)
        {
            return ChangeResult<Delegation>.NotFound($"no user {(from is null ? fromLogin : toLogin)}");
        }

        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM role_assignments WHERE login = @fromLogin AND role = @role", new { fromLogin, role = Roles.Approver }, transaction) == 0)
        {
            return ChangeResult<Delegation>.Invalid("fromLogin", $"{fromLogin} holds no approver role to delegate");
        }

        long id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO delegations (from_login, to_login, unit_id, starts_ms, ends_ms, reason, created_ms)
            VALUES (@fromLogin, @toLogin, @unitId, @startsMs, @endsMs, @reason, @now) RETURNING id
            """,
            new { fromLogin, toLogin, unitId, startsMs, endsMs, reason, now = Now }, transaction);
        await auditTrail.UnitActionAsync(connection, transaction, unitId ?? from.UnitId, actor, Now, "approval-delegated", new()
        {
            ["from"] = fromLogin!, ["to"] = toLogin!, ["starts"] = startsMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ends"] = endsMs.ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = reason ?? string.Empty,
        });
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<Delegation>.Ok(new Delegation(id, fromLogin!, toLogin!, unitId, startsMs, endsMs, reason, null));
    }

    /// <summary>Delegations in force at <paramref name="atMs"/> (or all not yet ended when null).</summary>
    public async Task<IReadOnlyList<Delegation>> DelegationsAsync(string? login, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<DelegationRow>(
            """
            SELECT id AS Id, from_login AS FromLogin, to_login AS ToLogin, unit_id AS UnitId, starts_ms AS StartsMs, ends_ms AS EndsMs, reason AS Reason, revoked_ms AS RevokedMs
            FROM delegations WHERE revoked_ms IS NULL AND ends_ms > @now AND (@login IS NULL OR from_login = @login OR to_login = @login) ORDER BY id
            """,
            new { login, now = Now })).Select(r => r.ToDelegation()).ToList();
    }

    /// <summary>Dapper maps rows onto these (SQLite hands back booleans and integers as Int64).</summary>
    private sealed class UserRow
    {
        public string Login { get; set; } = "";

        public string DisplayName { get; set; } = "";

        public string UnitId { get; set; } = "";

        public string? Post { get; set; }

        public bool Active { get; set; }

        public UserAccount ToAccount() => new(Login, DisplayName, UnitId, Post, Active);
    }

    private sealed class DelegationRow
    {
        public long Id { get; set; }

        public string FromLogin { get; set; } = "";

        public string ToLogin { get; set; } = "";

        public string? UnitId { get; set; }

        public long StartsMs { get; set; }

        public long EndsMs { get; set; }

        public string? Reason { get; set; }

        public long? RevokedMs { get; set; }

        public Delegation ToDelegation() => new(Id, FromLogin, ToLogin, UnitId, StartsMs, EndsMs, Reason, RevokedMs);
    }
}
