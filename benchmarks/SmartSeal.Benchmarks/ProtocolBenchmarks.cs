using System.Text;
using BenchmarkDotNet.Attributes;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Benchmarks;

/// <summary>Envelope encode/decode/verify and the raw MAC, with allocations per operation.</summary>
[MemoryDiagnoser]
public class ProtocolBenchmarks
{
    private static readonly byte[] Master = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private readonly byte[] _key = DeviceKeys.Derive(Master, "lock-0001", 1);
    private readonly JsonWriter _writer = new(512, EnvelopeCodec.MaxEnvelopeBytes);
    private readonly Envelope _decoded = new();
    private Envelope _envelope = null!;
    private byte[] _wire = null!;
    private byte[] _macInput = null!;

    [GlobalSetup]
    public void Setup()
    {
        _envelope = new Envelope { DeviceId = "lock-0001", Seq = 123456, Time = 1_800_000_000_123, Type = "stamped" };
        _envelope.SetBody(Encoding.UTF8.GetBytes(
            "{\"attempt\":\"att-000981\",\"jti\":\"tok-5f1c2a\",\"doc\":\"doc-77\",\"page\":2,\"before\":\"ph-1\",\"after\":\"ph-2\",\"fix\":{\"t\":1800000000000,\"lat\":312304560,\"lon\":1214737010,\"acc\":350}}"));
        _wire = EnvelopeCodec.Encode(_envelope, _key);
        _macInput = EnvelopeCodec.CanonicalBytes(_envelope);
    }

    [Benchmark(Description = "HMAC-SHA256 of a canonical envelope (~260 B)")]
    public byte[] Mac() => SmartSeal.Protocol.Security.Mac.Compute(_key, _macInput);

    [Benchmark(Description = "Envelope encode + sign (reused writer)")]
    public int EncodeEnvelope()
    {
        EnvelopeCodec.Encode(_envelope, _key, _writer);
        return _writer.Length;
    }

    [Benchmark(Description = "Envelope decode (structure only)")]
    public long DecodeEnvelope()
    {
        EnvelopeCodec.Decode(_wire, 0, _wire.Length, _decoded, out _);
        return _decoded.Seq;
    }

    [Benchmark(Description = "Envelope decode + MAC verify")]
    public bool DecodeAndVerifyEnvelope()
    {
        EnvelopeCodec.Decode(_wire, 0, _wire.Length, _decoded, out _);
        return EnvelopeCodec.VerifyMac(_decoded, _key);
    }
}
