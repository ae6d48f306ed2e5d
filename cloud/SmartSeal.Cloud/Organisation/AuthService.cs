using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Organisation;

public enum LoginStatus
{
    Ok,
    WrongCredentials,
    Locked,
}

public sealed record LoginResult(LoginStatus Status, string? Token = null, long ExpiresMs = 0, long LockedUntilMs = 0);

/// <summary>The signed-in user a token stands for.</summary>
public sealed record TokenOwner(UserAccount User, IReadOnlyList<RoleAssignment> Roles, long ExpiresMs);

/// <summary>
/// Password sign-in and the opaque bearer tokens it hands out. A token is 32 random bytes
/// (base64url, prefixed <see cref="TokenPrefix"/> so it cannot be mistaken for the admin API key);
/// only its SHA-256 is stored. <see cref="OrganisationOptions.MaxFailedLogins"/> wrong passwords in
/// a row lock the account for <see cref="OrganisationOptions.LockoutMinutes"/>; while locked even the
/// right password is refused. Unknown logins and wrong passwords get the same answer.
/// </summary>
public sealed class AuthService(Database database, OrgStore org, IPasswordHasher<UserAccount> hasher, IOptions<OrganisationOptions> options, TimeProvider time, ILogger<AuthService> logger)
{
    public const string TokenPrefix = "sst_";

    private OrganisationOptions Settings => options.Value;

    public async Task<LoginResult> LoginAsync(string login, string password, string? remote, CancellationToken cancellationToken = default)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        Credentials? user = await connection.QuerySingleOrDefaultAsync<Credentials>(
            "SELECT login AS Login, display_name AS DisplayName, unit_id AS UnitId, post AS Post, active AS Active, password_hash AS PasswordHash, failed_logins AS FailedLogins, locked_until_ms AS LockedUntilMs FROM users WHERE login = @login",
            new { login });
        if (user is null || !user.Active || user.PasswordHash is null)
        {
            logger.LogWarning("Refused a login as unknown or inactive user {Login} from {Remote}", login, remote);
            return new LoginResult(LoginStatus.WrongCredentials);
        }

        if (user.LockedUntilMs > now)
        {
            logger.LogWarning("Refused a login as locked user {Login} from {Remote} (locked until {Until})", login, remote, DateTimeOffset.FromUnixTimeMilliseconds(user.LockedUntilMs));
            return new LoginResult(LoginStatus.Locked, LockedUntilMs: user.LockedUntilMs);
        }

        var account = new UserAccount(user.Login, user.DisplayName, user.UnitId, user.Post, user.Active);
        PasswordVerificationResult verdict = hasher.VerifyHashedPassword(account, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return await CountFailureAsync(connection, login, remote, now);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await connection.ExecuteAsync("UPDATE users SET password_hash = @hash WHERE login = @login", new { login, hash = hasher.HashPassword(account, password) });
        }

        byte[] secret = RandomNumberGenerator.GetBytes(32);
        string token = TokenPrefix + WebEncoders.Base64UrlEncode(secret);
        long expires = now + (Settings.TokenHours * 3_600_000L);
        await connection.ExecuteAsync("UPDATE users SET failed_logins = 0 WHERE login = @login", new { login });
        await connection.ExecuteAsync("INSERT INTO api_tokens (token_hash, login, created_ms, expires_ms) VALUES (@hash, @login, @now, @expires)",
            new { hash = Hash(token), login, now, expires });
        logger.LogInformation("User {Login} signed in from {Remote}", login, remote);
        return new LoginResult(LoginStatus.Ok, token, expires);
    }

    /// <summary>
    /// A signed-in user's own password change: the current password is checked like a sign-in
    /// (a wrong one counts towards the lockout), the new one against <see cref="PasswordPolicy"/>.
    /// </summary>
    public async Task<ChangeResult<UserAccount>> ChangePasswordAsync(string login, string? currentPassword, string? newPassword, string? remote, CancellationToken cancellationToken = default)
    {
        if (PasswordPolicy.Check(login, newPassword) is { Length: > 0 } weak)
        {
            return ChangeResult<UserAccount>.Invalid("newPassword", weak);
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        {
            Credentials? user = await connection.QuerySingleOrDefaultAsync<Credentials>(
                "SELECT login AS Login, display_name AS DisplayName, unit_id AS UnitId, post AS Post, active AS Active, password_hash AS PasswordHash, locked_until_ms AS LockedUntilMs FROM users WHERE login = @login",
                new { login });
            if (user?.PasswordHash is null)
            {
                return ChangeResult<UserAccount>.NotFound($"no user {login}");
            }

            if (user.LockedUntilMs > now)
            {
                return ChangeResult<UserAccount>.Conflict("the account is locked after too many wrong passwords");
            }

            var account = new UserAccount(user.Login, user.DisplayName, user.UnitId, user.Post, user.Active);
            if (string.IsNullOrEmpty(currentPassword) || hasher.VerifyHashedPassword(account, user.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
            {
                await CountFailureAsync(connection, login, remote, now);
                return ChangeResult<UserAccount>.Invalid("currentPassword", "is wrong");
            }
        }

        return await org.SetPasswordAsync(login, newPassword, login, cancellationToken);
    }

    /// <summary>Counts a wrong password; the <see cref="OrganisationOptions.MaxFailedLogins"/>th in a row locks the account.</summary>
    private async Task<LoginResult> CountFailureAsync(DbConnection connection, string login, string? remote, long now)
    {
        // One statement, so concurrent guesses cannot each read the old count.
        long lockUntil = now + (Settings.LockoutMinutes * 60_000L);
        long lockedUntil = await connection.ExecuteScalarAsync<long>(
            """
            UPDATE users SET failed_logins = CASE WHEN failed_logins + 1 >= @max THEN 0 ELSE failed_logins + 1 END,
                             locked_until_ms = CASE WHEN failed_logins + 1 >= @max THEN @lockUntil ELSE locked_until_ms END
            WHERE login = @login RETURNING locked_until_ms
            """,
            new { login, max = Settings.MaxFailedLogins, lockUntil });
        bool locked = lockedUntil == lockUntil;
        logger.LogWarning("Wrong password for {Login} from {Remote}{Locked}", login, remote, locked ? $"; locked for {Settings.LockoutMinutes} min" : string.Empty);
        return locked ? new LoginResult(LoginStatus.Locked, LockedUntilMs: lockUntil) : new LoginResult(LoginStatus.WrongCredentials);
    }

    /// <summary>The user behind a token, or null when it is unknown, expired, revoked or its user inactive.</summary>
    public async Task<TokenOwner?> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Login, long ExpiresMs)>(
            """
            SELECT t.login, t.expires_ms FROM api_tokens t JOIN users u ON u.login = t.login
            WHERE t.token_hash = @hash AND t.revoked_ms IS NULL AND t.expires_ms > @now AND u.active = TRUE
            """,
            new { hash = Hash(token), now });
        if (row.Login is null || await org.FindUserAsync(row.Login, cancellationToken) is not { } user)
        {
            return null;
        }

        return new TokenOwner(user, await org.RolesOfAsync(user.Login, cancellationToken), row.ExpiresMs);
    }

    /// <summary>Revokes a token; true when it was valid.</summary>
    public async Task<bool> LogoutAsync(string token, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE api_tokens SET revoked_ms = @now WHERE token_hash = @hash AND revoked_ms IS NULL",
            new { hash = Hash(token), now = time.GetUtcNow().ToUnixTimeMilliseconds() }) > 0;
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed class Credentials
    {
        public string Login { get; set; } = "";

        public string DisplayName { get; set; } = "";

        public string UnitId { get; set; } = "";

        public string? Post { get; set; }

        public bool Active { get; set; }

        public string? PasswordHash { get; set; }

        public long FailedLogins { get; set; }

        public long LockedUntilMs { get; set; }
    }
}
