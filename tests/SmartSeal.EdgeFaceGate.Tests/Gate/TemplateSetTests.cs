using SmartSeal.EdgeFaceGate.Templates;
using SmartSeal.Protocol.Security;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.EdgeFaceGate.Tests.Gate;

public class TemplateSetTests
{
    private static float[] Unit(int hot)
    {
        var v = new float[FaceEmbedder.Dimensions];
        v[hot] = 1f;
        return v;
    }

    private static GateTemplateSet Set(long validUntil, string recipe, params GatePerson[] people) =>
        new() { GateId = "gate-01", CabinetId = "cab-01", Recipe = recipe, IssuedMs = 1000, ValidUntilMs = validUntil, People = people };

    [Fact]
    public void Templates_round_trip_through_json_and_expired_people_or_sets_match_nobody()
    {
        GateTemplateSet set = Set(10_000, FaceRecipe.Version,
            new GatePerson("li.na", 9_000, [TemplateCodec.Encode(Unit(1)), TemplateCodec.Encode(Unit(2))]),
            new GatePerson("wang.fang", 5_000, [TemplateCodec.Encode(Unit(3))]));
        GateTemplateSet parsed = GateTemplateSet.Parse(set.ToJson());

        FaceGallery now = parsed.ToGallery(4_000, out int skipped);
        Assert.Equal((2, 3, 0), (now.IdentityCount, now.TemplateCount, skipped));
        Assert.Equal("li.na", now.Identify(Unit(2), new MatchPolicy()).MatchedIdentity);

        FaceGallery later = parsed.ToGallery(6_000, out skipped);
        Assert.Equal((1, 1), (later.IdentityCount, skipped));
        Assert.Null(later.Identify(Unit(3), new MatchPolicy()).MatchedIdentity);

        Assert.Equal(0, parsed.ToGallery(10_001, out _).TemplateCount);
    }

    [Fact]
    public void Templates_of_another_recipe_or_a_wrong_length_are_not_used()
    {
        Assert.Equal(0, Set(10_000, "other-recipe", new GatePerson("li.na", 9_000, [TemplateCodec.Encode(Unit(1))])).ToGallery(1, out int skipped).TemplateCount);
        Assert.Equal(1, skipped);
        FaceGallery gallery = Set(10_000, FaceRecipe.Version, new GatePerson("li.na", 9_000, [Convert.ToBase64String(new byte[100]), "%%"])).ToGallery(1, out skipped);
        Assert.Equal((0, 2), (gallery.TemplateCount, skipped));
    }

    [Fact]
    public void A_request_signature_verifies_only_for_the_same_key_path_and_a_recent_time()
    {
        byte[] key = DeviceKeys.Derive(new byte[32], "gate-01", 1);
        string header = DeviceRequestSignature.Header("gate-01", key, "GET", "/api/gates/gate-01/templates", 1_000_000);
        var parsed = DeviceRequestSignature.Parse(header)!.Value;
        Assert.Equal(("gate-01", 1_000_000L), (parsed.DeviceId, parsed.TimeMs));
        Assert.True(DeviceRequestSignature.Verify(key, "GET", "/api/gates/gate-01/templates", parsed.TimeMs, parsed.Mac, 1_060_000));
        Assert.False(DeviceRequestSignature.Verify(key, "GET", "/api/gates/gate-02/templates", parsed.TimeMs, parsed.Mac, 1_060_000));
        Assert.False(DeviceRequestSignature.Verify(DeviceKeys.Derive(new byte[32], "gate-02", 1), "GET", "/api/gates/gate-01/templates", parsed.TimeMs, parsed.Mac, 1_060_000));
        Assert.False(DeviceRequestSignature.Verify(key, "GET", "/api/gates/gate-01/templates", parsed.TimeMs, parsed.Mac, 1_000_000 + DeviceRequestSignature.MaxSkewMs + 1));
        Assert.Null(DeviceRequestSignature.Parse("Bearer abc"));
    }
}
