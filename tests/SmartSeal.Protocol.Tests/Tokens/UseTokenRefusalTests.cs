using System.Security.Cryptography;
using System.Text;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Text;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Protocol.Tests.Tokens;

/// <summary>Every way a token can be wrong, each with its exact refusal code.</summary>
public class UseTokenRefusalTests
{
    private const string Device = "lock-0001";
    private const long Now = 1_800_000_000;
    private static readonly byte[] Key = TestKeys.Device(Device);
    private const string Header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private static string Claims(string? replace = null, string? with = null, string extra = "")
    {
        string claims = $"{{\"jti\":\"t1\",\"aud\":\"{Device}\",\"sub\":\"u1\",\"iat\":{Now},\"nbf\":{Now},\"exp\":{Now + 600},\"seal\":\"s1\",\"app\":\"a1\",\"uses\":2{extra}}}";
        return replace == null ? claims : claims.Replace(replace, with);
    }

    private static string Sign(string header, string payload, byte[]? key = null)
    {
        string input = Base64Url.Encode(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(payload));
        return input + "." + Base64Url.Encode(HMACSHA256.HashData(key ?? Key, Encoding.ASCII.GetBytes(input)));
    }

    private static ProtocolError Verify(string token, long now = Now, string device = Device) =>
        new UseTokenVerifier().Verify(token, device, Key, now, new UseToken(), out _);

    [Fact]
    public void The_reference_token_of_these_tests_is_valid()
    {
        Assert.Equal(ProtocolError.None, Verify(Sign(Header, Claims())));
    }

    [Theory]
    [InlineData("{\"alg\":\"none\",\"typ\":\"JWT\"}")]
    [InlineData("{\"alg\":\"HS512\"}")]
    [InlineData("{\"alg\":\"RS256\"}")]
    [InlineData("{\"alg\":\"hs256\"}")]
    [InlineData("{\"alg\":\"HS256 \"}")]
    [InlineData("{\"alg\":null}")]
    [InlineData("{\"alg\":256}")]
    [InlineData("{\"typ\":\"JWT\"}")]
    public void Any_algorithm_but_hs256_is_refused(string header)
    {
        Assert.Equal(ProtocolError.TokenAlgorithmNotAllowed, Verify(Sign(header, Claims())));
    }

    [Fact]
    public void Alg_none_with_an_empty_signature_is_refused()
    {
        string unsigned = Base64Url.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"none\"}")) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(Claims())) + ".";
        Assert.Equal(ProtocolError.TokenMalformed, Verify(unsigned));
    }

    [Theory]
    [InlineData("{\"alg\":\"HS256\",\"typ\":\"JWS+x\"}")]
    [InlineData("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}")]
    [InlineData("{\"alg\":\"HS256\",\"alg\":\"HS256\"}")]
    [InlineData("{\"alg\":\"HS256\",\"kid\":\"01234567890123456789\"}")]
    public void Suspicious_headers_are_refused(string header)
    {
        Assert.Equal(ProtocolError.TokenBadHeader, Verify(Sign(header, Claims())));
    }

    [Fact]
    public void A_token_signed_with_another_devices_key_is_refused()
    {
        Assert.Equal(ProtocolError.TokenBadSignature, Verify(Sign(Header, Claims(), TestKeys.Device("lock-0002"))));
        Assert.Equal(ProtocolError.TokenBadSignature, Verify(Sign(Header, Claims(), TestKeys.Device(Device, 2))));
    }

    [Fact]
    public void A_token_for_another_device_is_refused_even_with_a_valid_signature()
    {
        // Signed with lock-0002's key and addressed to it, presented to lock-0002's verifier as lock-0001.
        string token = Sign(Header, Claims($"\"aud\":\"{Device}\"", "\"aud\":\"lock-0002\""));
        Assert.Equal(ProtocolError.TokenWrongAudience, Verify(token));
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("abc")]
    public void Wrong_structure_is_refused(string token)
    {
        Assert.Equal(ProtocolError.TokenMalformed, Verify(token));
    }

    [Fact]
    public void Bad_base64_in_any_part_is_refused()
    {
        string good = Sign(Header, Claims());
        string[] parts = good.Split('.');
        Assert.Equal(ProtocolError.TokenBadBase64, Verify(parts[0] + "=." + parts[1] + "." + parts[2]));
        Assert.Equal(ProtocolError.TokenBadBase64, Verify(parts[0] + "." + parts[1].Replace('-', '+') + "x/." + parts[2]));
        Assert.Equal(ProtocolError.TokenBadBase64, Verify(parts[0] + "." + parts[1] + "." + parts[2] + "=="));
        Assert.Equal(ProtocolError.TokenBadBase64, Verify(parts[0] + "." + parts[1] + " ." + parts[2]));
        Assert.Equal(ProtocolError.TokenBadBase64, Verify(parts[0] + "." + parts[1] + ".中" + parts[2]));
    }

    [Theory]
    [InlineData(Now + 600 + 59, ProtocolError.None)] // within skew after exp
    [InlineData(Now + 600 + 60, ProtocolError.TokenExpired)]
    [InlineData(Now - 60, ProtocolError.None)] // within skew before nbf
    [InlineData(Now - 61, ProtocolError.TokenNotYetValid)]
    public void Validity_window_has_a_one_minute_skew(long now, ProtocolError expected)
    {
        Assert.Equal(expected, Verify(Sign(Header, Claims()), now));
    }

    [Fact]
    public void Issued_in_the_future_is_refused()
    {
        Assert.Equal(ProtocolError.TokenIssuedInFuture, Verify(Sign(Header, Claims($"\"iat\":{Now}", $"\"iat\":{Now + 300}"))));
    }

    [Theory]
    [InlineData("\"uses\":2", "\"uses\":0", ProtocolError.TokenBadUseCount)]
    [InlineData("\"uses\":2", "\"uses\":-1", ProtocolError.TokenBadUseCount)]
    [InlineData("\"uses\":2", "\"uses\":10001", ProtocolError.TokenBadUseCount)]
    [InlineData("\"uses\":2", "\"uses\":1.5", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":\"2\"", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"offline\":3", ProtocolError.TokenBadUseCount)]
    [InlineData("\"uses\":2", "\"uses\":2,\"offline\":-1", ProtocolError.TokenBadUseCount)]
    [InlineData("\"uses\":2", "\"uses\":2,\"uses\":2", ProtocolError.TokenBadClaim)]
    [InlineData("\"jti\":\"t1\"", "\"jti\":\"\"", ProtocolError.TokenBadClaim)]
    [InlineData("\"jti\":\"t1\"", "\"jti\":7", ProtocolError.TokenBadClaim)]
    [InlineData("\"aud\":\"lock-0001\"", "\"aud\":[\"lock-0001\",\"lock-0002\"]", ProtocolError.TokenBadClaim)]
    [InlineData("\"aud\":\"lock-0001\"", "\"aud\":[]", ProtocolError.TokenBadClaim)]
    [InlineData("\"exp\":1800000600", "\"exp\":1800000000", ProtocolError.TokenBadClaim)]
    [InlineData("\"exp\":1800000600", "\"exp\":-1", ProtocolError.TokenBadClaim)]
    [InlineData("\"exp\":1800000600", "\"exp\":\"soon\"", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"mode\":\"cabinet\"", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"mode\":\"teleport\"", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"cmp\":3", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"docs\":{}", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"docs\":[{\"id\":\"d\"}]", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"docs\":[{\"id\":\"d\",\"pages\":0}]", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"docs\":[{\"id\":\"d\",\"pages\":1,\"pages\":2}]", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"docs\":[\"d\"]", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"geo\":{\"type\":\"hexagon\"}", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"geo\":{\"type\":\"circle\",\"lat\":1,\"lon\":2}", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"geo\":{\"type\":\"circle\",\"lat\":31.2,\"lon\":121.4,\"r\":5}", ProtocolError.TokenBadClaim)]
    [InlineData("\"uses\":2", "\"uses\":2,\"geo\":{\"type\":\"circle\",\"lat\":950000000,\"lon\":0,\"r\":5}", ProtocolError.TokenBadGeofence)]
    [InlineData("\"uses\":2", "\"uses\":2,\"geo\":{\"type\":\"circle\",\"lat\":0,\"lon\":0,\"r\":0}", ProtocolError.TokenBadGeofence)]
    [InlineData("\"uses\":2", "\"uses\":2,\"geo\":{\"type\":\"polygon\",\"pts\":[]}", ProtocolError.TokenBadGeofence)]
    [InlineData("\"uses\":2", "\"uses\":2,\"geo\":{\"type\":\"polygon\",\"pts\":[[0,0],[0,100000]]}", ProtocolError.TokenBadGeofence)]
    [InlineData("\"uses\":2", "\"uses\":2,\"geo\":{\"type\":\"polygon\",\"pts\":[[0,0],[100000,100000],[0,100000],[100000,0]]}", ProtocolError.TokenBadGeofence)]
    [InlineData("\"uses\":2", "\"uses\":2,\"geo\":{\"type\":\"polygon\",\"pts\":[[0,0,0],[0,1],[1,1]]}", ProtocolError.TokenBadClaim)]
    public void Bad_claims_get_their_own_code(string replace, string with, ProtocolError expected)
    {
        Assert.Equal(expected, Verify(Sign(Header, Claims(replace, with))));
    }

    [Theory]
    [InlineData("jti")]
    [InlineData("aud")]
    [InlineData("sub")]
    [InlineData("iat")]
    [InlineData("nbf")]
    [InlineData("exp")]
    [InlineData("seal")]
    [InlineData("app")]
    [InlineData("uses")]
    public void Each_required_claim_is_required(string claim)
    {
        string claims = Claims();
        int start = claims.IndexOf($"\"{claim}\":", StringComparison.Ordinal);
        int end = claims.IndexOf(',', start);
        string without = end < 0 ? claims[..(start - 1)] + "}" : claims[..start] + claims[(end + 1)..];
        var token = new UseToken();
        ProtocolError error = new UseTokenVerifier().Verify(Sign(Header, without), Device, Key, Now, token, out string detail);
        Assert.Equal(ProtocolError.TokenMissingClaim, error);
        Assert.Contains(claim, detail);
    }

    [Fact]
    public void Unknown_claims_are_ignored_but_payload_must_be_one_json_object()
    {
        Assert.Equal(ProtocolError.None, Verify(Sign(Header, Claims(extra: ",\"iss\":\"smartseal\",\"x\":{\"y\":[1,2]}"))));
        Assert.Equal(ProtocolError.TokenMalformed, Verify(Sign(Header, "not json")));
        Assert.Equal(ProtocolError.TokenMalformed, Verify(Sign(Header, Claims() + " {}")));
        Assert.Equal(ProtocolError.TokenMalformed, Verify(Sign(Header, "[1,2]")));
    }

    [Fact]
    public void Oversized_tokens_are_refused_before_any_work()
    {
        string huge = Sign(Header, Claims(extra: ",\"pad\":\"" + new string('x', 5000) + "\""));
        Assert.Equal(ProtocolError.TokenTooLarge, Verify(huge));
    }

    [Fact]
    public void Cabinet_tokens_carry_a_compartment()
    {
        var token = new UseToken();
        string jwt = Sign(Header, Claims("\"uses\":2", "\"uses\":1,\"mode\":\"cabinet\",\"cmp\":4"));
        Assert.Equal(ProtocolError.None, new UseTokenVerifier().Verify(jwt, Device, Key, Now, token, out _));
        Assert.Equal(UseToken.ModeCabinet, token.Mode);
        Assert.Equal(4, token.Compartment);
    }

    [Fact]
    public void Random_garbage_tokens_never_pass_and_never_throw()
    {
        var random = new Random(99);
        var verifier = new UseTokenVerifier();
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        for (int i = 0; i < 5000; i++)
        {
            var chars = new char[random.Next(0, 120)];
            for (int k = 0; k < chars.Length; k++)
            {
                chars[k] = alphabet[random.Next(alphabet.Length)];
            }

            Assert.NotEqual(ProtocolError.None, verifier.Verify(new string(chars), Device, Key, Now, new UseToken(), out _));
        }
    }
    [Theory]
    [InlineData(",\"tag\":\"04A1B2C3\"", ProtocolError.None)]
    [InlineData(",\"tag\":\"04a1b2c3\"", ProtocolError.TokenBadClaim)]
    [InlineData(",\"tag\":\"04A1B2C\"", ProtocolError.TokenBadClaim)]
    [InlineData(",\"tag\":\"04A1\"", ProtocolError.TokenBadClaim)]
    [InlineData(",\"tag\":4",  ProtocolError.TokenBadClaim)]
    [InlineData(",\"tag\":\"04A1B2C3\",\"tag\":\"04A1B2C3\"", ProtocolError.TokenMalformed)]
    public void The_seal_tag_claim_must_be_upper_case_hex_of_a_tag_uid(string extra, ProtocolError expected)
    {
        var token = new UseToken();
        ProtocolError error = new UseTokenVerifier().Verify(Sign(Header, Claims(extra: extra)), Device, Key, Now, token, out _);
        Assert.True(error == expected || (expected == ProtocolError.TokenMalformed && error != ProtocolError.None), $"{extra}: {error}");
        if (expected == ProtocolError.None)
        {
            Assert.Equal("04A1B2C3", token.SealTag);
        }
    }
}

public class StoredTokenTests
{
    private const string Device = "lock-0001";
    private static readonly byte[] Key = TestKeys.Device(Device);

    [Fact]
    public void A_stored_token_is_reverified_without_the_clock_but_not_without_its_signature()
    {
        var claims = CloudTokenIssuer.StandardClaims();
        string expired = CloudTokenIssuer.Issue(Key, Device, 1_000, 1_000, 2_000, claims);
        var verifier = new UseTokenVerifier();
        Assert.Equal(ProtocolError.TokenExpired, verifier.Verify(expired, Device, Key, 1_800_000_000, new UseToken(), out _));

        var token = new UseToken();
        Assert.Equal(ProtocolError.None, verifier.VerifyStored(expired, Device, Key, token, out _));
        Assert.Equal(2_000, token.Expires);
        Assert.Equal(ProtocolError.TokenBadSignature, verifier.VerifyStored(expired, Device, TestKeys.Device("lock-0002"), new UseToken(), out _));
        Assert.Equal(ProtocolError.TokenWrongAudience, verifier.VerifyStored(CloudTokenIssuer.Issue(Key, "lock-0009", 1_000, 1_000, 2_000, claims), Device, Key, new UseToken(), out _));
    }

}
