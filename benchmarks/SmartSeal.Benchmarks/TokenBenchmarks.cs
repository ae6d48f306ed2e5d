using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Benchmarks;

/// <summary>
/// Device-side token verification, with the cloud library's own validation of the same token as
/// the reference run in the same process.
/// </summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private const long Now = 1_800_000_100;
    private static readonly byte[] Master = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private readonly byte[] _key = DeviceKeys.Derive(Master, "lock-0001", 1);
    private readonly UseTokenVerifier _verifier = new();
    private readonly UseToken _token = new();
    private readonly JsonWebTokenHandler _handler = new();
    private string _jwt = null!;
    private TokenValidationParameters _parameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        _handler.SetDefaultTimesOnTokenCreation = false;
        _jwt = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Audience = "lock-0001",
            IssuedAt = DateTime.UnixEpoch.AddSeconds(Now - 100),
            NotBefore = DateTime.UnixEpoch.AddSeconds(Now - 100),
            Expires = DateTime.UnixEpoch.AddSeconds(Now + 3600),
            Claims = new Dictionary<string, object>
            {
                ["jti"] = "tok-bench", ["sub"] = "user-1", ["seal"] = "seal-1", ["app"] = "app-1", ["uses"] = 3, ["offline"] = 1,
                ["docs"] = JsonDocument.Parse("[{\"id\":\"doc-1\",\"pages\":2}]").RootElement.Clone(),
                ["geo"] = JsonDocument.Parse("{\"type\":\"circle\",\"lat\":312304560,\"lon\":1214737010,\"r\":500}").RootElement.Clone(),
            },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(_key) { KeyId = "v1" }, SecurityAlgorithms.HmacSha256),
        });
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(_key),
            ValidAudience = "lock-0001",
            ValidateIssuer = false,
            ValidateLifetime = false,
            ValidAlgorithms = new[] { SecurityAlgorithms.HmacSha256 },
        };
    }

    [Benchmark(Baseline = true, Description = "UseTokenVerifier.Verify (device code)")]
    public bool DeviceVerify() => _verifier.Verify(_jwt, "lock-0001", _key, Now, _token, out _) == SmartSeal.Protocol.ProtocolError.None;

    [Benchmark(Description = "JsonWebTokenHandler.ValidateTokenAsync (reference)")]
    public async Task<bool> LibraryValidate() => (await _handler.ValidateTokenAsync(_jwt, _parameters)).IsValid;
}
