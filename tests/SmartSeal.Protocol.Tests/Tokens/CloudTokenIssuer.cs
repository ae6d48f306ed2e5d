using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SmartSeal.Protocol.Tests.Tokens;

/// <summary>
/// Issues tokens the way the cloud does (Microsoft.IdentityModel.JsonWebTokens), so the tests prove
/// interoperability with the device-side verifier.
/// </summary>
internal static class CloudTokenIssuer
{
    public static readonly DateTime Epoch = DateTime.UnixEpoch;

    public static string Issue(byte[] deviceKey, string deviceId, long iat, long nbf, long exp, IDictionary<string, object> claims, string kid = "v1", string? audience = null)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var descriptor = new SecurityTokenDescriptor
        {
            Audience = audience ?? deviceId,
            IssuedAt = Epoch.AddSeconds(iat),
            NotBefore = Epoch.AddSeconds(nbf),
            Expires = Epoch.AddSeconds(exp),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(deviceKey) { KeyId = kid }, SecurityAlgorithms.HmacSha256),
        };
        return handler.CreateToken(descriptor);
    }

    public static Dictionary<string, object> StandardClaims(string jti = "tok-0001") => new()
    {
        ["jti"] = jti,
        ["sub"] = "user-zhang.wei",
        ["seal"] = "seal-contract-01",
        ["app"] = "app-2026-000118",
        ["uses"] = 3,
        ["offline"] = 1,
        ["mode"] = "lock",
        ["docs"] = Json("[{\"id\":\"doc-77\",\"pages\":2},{\"id\":\"doc-78\",\"pages\":1}]"),
        ["geo"] = Json("{\"type\":\"circle\",\"lat\":312304560,\"lon\":1214737010,\"r\":500}"),
    };

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
