using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.Security;

/// <summary>
/// Service accounts (CLI, automation): <c>Authorization: Bearer {key}</c> with the administrator API
/// key (<c>SmartSeal:AdminApiKey</c>; in Development generated once into the data directory and
/// logged at start). People sign in through the portal's own login.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AdminApiKey adminKey)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        byte[] presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(presented, adminKey.Bytes))
        {
            Logger.LogWarning("Refused an API key from {Remote}", Context.Connection.RemoteIpAddress);
            return Task.FromResult(AuthenticateResult.Fail("invalid API key"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin-api-key"), new Claim(ClaimTypes.Role, Roles.SysAdmin)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>The administrator API key.</summary>
public sealed class AdminApiKey(string key)
{
    public string Value { get; } = key;

    public byte[] Bytes { get; } = Encoding.UTF8.GetBytes(key);

    public static AdminApiKey Load(string? configured, string dataDirectory, bool development, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new AdminApiKey(configured.Trim());
        }

        if (!development)
        {
            throw new OptionsValidationException("SmartSeal", typeof(AdminApiKey), ["SmartSeal:AdminApiKey is required outside Development"]);
        }

        string path = Path.Combine(dataDirectory, "admin-api.key");
        if (!File.Exists(path))
        {
            SecretFile.Write(path, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant());
        }

        logger.LogInformation("Development admin API key is in {Path}", path);
        return new AdminApiKey(File.ReadAllText(path).Trim());
    }
}

/// <summary>Role names (DESIGN.md §4).</summary>
public static class Roles
{
    public const string Applicant = "applicant";
    public const string Approver = "approver";
    public const string Keeper = "keeper";
    public const string Auditor = "auditor";
    public const string SysAdmin = "sysadmin";
}
