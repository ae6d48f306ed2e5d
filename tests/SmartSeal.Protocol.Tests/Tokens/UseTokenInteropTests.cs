using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Geo;
using SmartSeal.Protocol.Text;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Protocol.Tests.Tokens;

public class UseTokenInteropTests
{
    private const string Device = "lock-0001";
    private const long Now = 1_800_000_000;
    private static readonly byte[] Key = TestKeys.Device(Device);

    private static string IssueStandard() => CloudTokenIssuer.Issue(Key, Device, Now - 10, Now - 10, Now + 3600, CloudTokenIssuer.StandardClaims());

    [Fact]
    public void A_token_issued_by_the_cloud_library_verifies_on_the_device_with_all_claims()
    {
        string jwt = IssueStandard();
        string payload = Encoding.UTF8.GetString(Base64Url.Decode(jwt.Split('.')[1])!);
        using (JsonDocument doc = JsonDocument.Parse(payload))
        {
            // The library really wrote nested JSON, not strings.
            Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("docs").ValueKind);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("geo").ValueKind);
        }

        var token = new UseToken();
        ProtocolError error = new UseTokenVerifier().Verify(jwt, Device, Key, Now, token, out string detail);

        Assert.True(error == ProtocolError.None, detail);
        Assert.Equal("tok-0001", token.Id);
        Assert.Equal(Device, token.Audience);
        Assert.Equal("user-zhang.wei", token.Subject);
        Assert.Equal(Now - 10, token.IssuedAt);
        Assert.Equal(Now - 10, token.NotBefore);
        Assert.Equal(Now + 3600, token.Expires);
        Assert.Equal("seal-contract-01", token.SealId);
        Assert.Equal("app-2026-000118", token.ApplicationId);
        Assert.Equal(3, token.Uses);
        Assert.Equal(1, token.OfflineUses);
        Assert.Equal(UseToken.ModeLock, token.Mode);
        Assert.Equal("v1", token.KeyId);
        Assert.Equal(new[] { ("doc-77", 2), ("doc-78", 1) }, token.Documents.Select(d => (d.Id, d.Pages)));
        var circle = Assert.IsType<GeoCircle>(token.Fence);
        Assert.Equal((312304560, 1214737010, 500), (circle.CentreLatE7, circle.CentreLonE7, circle.RadiusMetres));
        Assert.Equal(1, token.IndexOfDocument("doc-78"));
        Assert.Equal(-1, token.IndexOfDocument("doc-99"));
    }

    [Fact]
    public void Changing_any_single_character_of_the_token_is_refused()
    {
        string jwt = IssueStandard();
        var verifier = new UseTokenVerifier();
        for (int i = 0; i < jwt.Length; i++)
        {
            foreach (char replacement in new[] { 'A', 'g', '-', '_', '0', '=', '+', '.', ' ' })
            {
                if (jwt[i] == replacement)
                {
                    continue;
                }

                string changed = jwt[..i] + replacement + jwt[(i + 1)..];
                ProtocolError error = verifier.Verify(changed, Device, Key, Now, new UseToken(), out _);
                Assert.True(error != ProtocolError.None, $"position {i} changed to '{replacement}' was accepted");
            }
        }
    }

    [Fact]
    public async Task Tokens_written_on_the_device_side_validate_with_the_cloud_library()
    {
        var token = new UseToken
        {
            Id = "tok-sim-1", Audience = Device, Subject = "user-li.na", IssuedAt = Now, NotBefore = Now, Expires = Now + 600,
            SealId = "seal-finance-01", ApplicationId = "app-9", Uses = 2, OfflineUses = 0, Mode = UseToken.ModeLock,
            Documents = new[] { new TokenDocument("doc-1", 4) },
            Fence = new GeoPolygon(new[] { 312300000, 312300000, 312400000 }, new[] { 1214700000, 1214800000, 1214800000 }),
        };
        string jwt = UseTokenWriter.Write(token, Key, "v1");

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Key),
            ValidAudience = Device,
            ValidateIssuer = false,
            ValidateLifetime = false,
            ValidAlgorithms = new[] { SecurityAlgorithms.HmacSha256 },
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("seal-finance-01", result.Claims["seal"]);

        var parsed = new UseToken();
        Assert.Equal(ProtocolError.None, new UseTokenVerifier().Verify(jwt, Device, Key, Now, parsed, out _));
        var polygon = Assert.IsType<GeoPolygon>(parsed.Fence);
        Assert.Equal(3, polygon.VertexCount);
        Assert.Equal(1214800000, polygon.LonE7(2));
    }
}
