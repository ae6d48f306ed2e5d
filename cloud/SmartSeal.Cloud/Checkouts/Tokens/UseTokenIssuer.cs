using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// Signs use tokens as compact JWS (HS256 with the target device's current key, <c>kid</c> = its
/// key version) with Microsoft.IdentityModel.JsonWebTokens. The device verifies them offline with
/// the nanoFramework <c>UseTokenVerifier</c>: integers only (ADR 0001), coordinates in 1e-7 degrees.
/// </summary>
public sealed class UseTokenIssuer(DeviceKeyring keyring)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Sign(UseTokenClaims claims, Device device)
    {
        if (device.Id != claims.DeviceId)
        {
            throw new ArgumentException($"token for {claims.DeviceId} signed with the key of {device.Id}", nameof(device));
        }

        var key = new SymmetricSecurityKey(keyring.KeyFor(device.Id, device.KeyVersion)) { KeyId = "v" + device.KeyVersion };
        var payload = new Dictionary<string, object>
        {
            ["jti"] = claims.Id,
            ["sub"] = claims.Applicant,
            ["seal"] = claims.SealId,
            ["app"] = claims.ApplicationId,
            ["uses"] = claims.Uses,
            ["mode"] = claims.Mode == ApplicationMode.Cabinet ? "cabinet" : "lock",
        };
        if (claims.OfflineUses > 0)
        {
            payload["offline"] = claims.OfflineUses;
        }

        if (claims.Compartment > 0)
        {
            payload["cmp"] = claims.Compartment;
        }

        if (claims.SealTag != null)
        {
            payload["tag"] = claims.SealTag;
        }

        if (claims.Documents.Count > 0)
        {
            payload["docs"] = claims.Documents.Select(d => new Dictionary<string, object> { ["id"] = d.Id, ["pages"] = d.Pages }).ToList();
        }

        if (claims.Location != null)
        {
            payload["geo"] = Geo(claims.Location);
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Audience = claims.DeviceId,
            IssuedAt = claims.IssuedAt.UtcDateTime,
            NotBefore = claims.NotBefore.UtcDateTime,
            Expires = claims.Expires.UtcDateTime,
            Claims = payload,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    private static Dictionary<string, object> Geo(LocationLimit limit)
    {
        if (limit.Circle is { } circle)
        {
            return new Dictionary<string, object>
            {
                ["type"] = "circle",
                ["lat"] = E7(circle.Lat),
                ["lon"] = E7(circle.Lon),
                ["r"] = (long)Math.Round(circle.RadiusM),
            };
        }

        return new Dictionary<string, object>
        {
            ["type"] = "polygon",
            ["pts"] = limit.Polygon!.Select(p => new List<object> { E7(p.Lat), E7(p.Lon) }).ToList(),
        };
    }

    private static long E7(double degrees) => (long)Math.Round(degrees * 1e7);
}
