using System.Text.Json;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Geo;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Protocol.Tests.Tokens;

/// <summary>Golden vectors in both directions: the cloud library's output is pinned, and the device decodes it exactly.</summary>
public class TokenVectorTests
{
    private static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "tokens.json"))).RootElement;

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Root.GetProperty("tokens").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static (JsonElement Vector, string Device, byte[] Key) Load(int index)
    {
        JsonElement v = Root.GetProperty("tokens")[index];
        string device = v.GetProperty("deviceId").GetString()!;
        byte[] key = DeviceKeys.Derive(Convert.FromHexString(Root.GetProperty("masterKeyHex").GetString()!), device, v.GetProperty("keyVersion").GetInt32());
        return (v, device, key);
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public void The_cloud_library_issues_exactly_the_vector(int index)
    {
        var (v, device, key) = Load(index);
        var claims = v.GetProperty("claims").EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.Clone());
        string issued = CloudTokenIssuer.Issue(key, device, v.GetProperty("iat").GetInt64(), v.GetProperty("nbf").GetInt64(), v.GetProperty("exp").GetInt64(), claims, v.GetProperty("kid").GetString()!);
        Assert.Equal(v.GetProperty("token").GetString(), issued);
    }

    [Theory]
    [MemberData(nameof(Indexes))]
    public void The_device_decodes_the_vector_to_exactly_its_claims(int index)
    {
        var (v, device, key) = Load(index);
        JsonElement c = v.GetProperty("claims");
        var token = new UseToken();
        long now = v.GetProperty("nbf").GetInt64() + 1;
        ProtocolError error = new UseTokenVerifier().Verify(v.GetProperty("token").GetString()!, device, key, now, token, out string detail);

        Assert.True(error == ProtocolError.None, detail);
        Assert.Equal(v.GetProperty("kid").GetString(), token.KeyId);
        Assert.Equal(device, token.Audience);
        Assert.Equal(v.GetProperty("iat").GetInt64(), token.IssuedAt);
        Assert.Equal(v.GetProperty("nbf").GetInt64(), token.NotBefore);
        Assert.Equal(v.GetProperty("exp").GetInt64(), token.Expires);
        Assert.Equal(c.GetProperty("jti").GetString(), token.Id);
        Assert.Equal(c.GetProperty("sub").GetString(), token.Subject);
        Assert.Equal(c.GetProperty("seal").GetString(), token.SealId);
        Assert.Equal(c.GetProperty("app").GetString(), token.ApplicationId);
        Assert.Equal(c.GetProperty("uses").GetInt32(), token.Uses);
        Assert.Equal(c.TryGetProperty("offline", out JsonElement offline) ? offline.GetInt32() : 0, token.OfflineUses);
        Assert.Equal(c.GetProperty("mode").GetString(), token.Mode);
        Assert.Equal(c.TryGetProperty("cmp", out JsonElement cmp) ? cmp.GetInt32() : 0, token.Compartment);

        var expectedDocs = c.TryGetProperty("docs", out JsonElement docs)
            ? docs.EnumerateArray().Select(d => (d.GetProperty("id").GetString(), d.GetProperty("pages").GetInt32())).ToArray()
            : Array.Empty<(string?, int)>();
        Assert.Equal(expectedDocs, token.Documents.Select(d => ((string?)d.Id, d.Pages)).ToArray());

        if (!c.TryGetProperty("geo", out JsonElement geo))
        {
            Assert.Null(token.Fence);
        }
        else if (geo.GetProperty("type").GetString() == "circle")
        {
            var circle = Assert.IsType<GeoCircle>(token.Fence);
            Assert.Equal((geo.GetProperty("lat").GetInt32(), geo.GetProperty("lon").GetInt32(), geo.GetProperty("r").GetInt32()), (circle.CentreLatE7, circle.CentreLonE7, circle.RadiusMetres));
        }
        else
        {
            var polygon = Assert.IsType<GeoPolygon>(token.Fence);
            var points = geo.GetProperty("pts").EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetInt32())).ToArray();
            Assert.Equal(points, Enumerable.Range(0, polygon.VertexCount).Select(i => (polygon.LatE7(i), polygon.LonE7(i))).ToArray());
        }
    }
}
