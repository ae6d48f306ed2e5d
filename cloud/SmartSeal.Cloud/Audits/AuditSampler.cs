using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SmartSeal.Cloud.Audits;

/// <summary>
/// A reproducible random sample: each candidate gets the key SHA-256(seed ‖ id) and the
/// <c>size</c> smallest keys are taken, listed in id order. The same seed over the same ledger always gives
/// the same sample (another auditor can redo it), and no one can predict it without the seed.
/// </summary>
public static class AuditSampler
{
    public static IReadOnlyList<long> Sample(IEnumerable<long> ids, long seed, int size) =>
        ids.Distinct().Select(id => (Id: id, Key: Key(seed, id))).OrderBy(c => c.Key, StringComparer.Ordinal).Take(size).Select(c => c.Id).Order().ToList();

    private static string Key(long seed, long id)
    {
        Span<byte> input = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(input, seed);
        BinaryPrimitives.WriteInt64BigEndian(input[8..], id);
        return Convert.ToHexString(SHA256.HashData(input));
    }
}
