using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// The exact bytes an entry's hash covers, and the hash itself:
/// <c>hash = SHA-256(prevHash (32 bytes) || canonical JSON)</c>, lower-case hex. The canonical
/// JSON has a fixed member order — the row's columns first, then <c>"fields"</c> with names in
/// ordinal order — so a verifier can rebuild it from a row and compare.
/// </summary>
public static class LedgerCanon
{
    /// <summary>The previous hash of a chain's first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    private const string FieldsMarker = ",\"fields\":";

    public static string Payload(string sealId, long seq, string kind, long atMs, long recordedMs, string? deviceId, string? actor, string? applicationId, string? tokenId, string? source, IReadOnlyDictionary<string, string> fields)
    {
        CanonBuffer canon = CanonBuffer.ForThisThread();
        canon.Write(prevHash: null, sealId, seq, kind, atMs, recordedMs, deviceId, actor, applicationId, tokenId, source, fields);
        return Encoding.UTF8.GetString(canon.Written);
    }

    /// <summary>
    /// <see cref="Payload"/> and <see cref="Hash"/> of it in one pass: the JSON is written once into
    /// this thread's reused buffer right behind the previous hash's bytes and hashed from there (ingest
    /// appends hundreds of entries per batch; each used to grow a fresh buffer and encode the payload twice).
    /// </summary>
    public static (string Payload, string Hash) PayloadAndHash(string prevHash, string sealId, long seq, string kind, long atMs, long recordedMs, string? deviceId, string? actor, string? applicationId, string? tokenId, string? source, IReadOnlyDictionary<string, string> fields)
    {
        CanonBuffer canon = CanonBuffer.ForThisThread();
        canon.Write(prevHash, sealId, seq, kind, atMs, recordedMs, deviceId, actor, applicationId, tokenId, source, fields);
        ReadOnlySpan<byte> hashed = canon.WrittenWithPrevHash;
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(hashed, digest);
        return (Encoding.UTF8.GetString(canon.Written), Convert.ToHexStringLower(digest));
    }

    /// <summary>
    /// Whether a stored payload is exactly what the row's columns produce (with the payload's own
    /// fields): an edit of any column without a matching payload, or of the payload alone, shows.
    /// </summary>
    public static bool PayloadMatchesRow(StoredLedgerEntry row)
    {
        int marker = row.Payload.LastIndexOf(FieldsMarker, StringComparison.Ordinal);
        if (marker < 0)
        {
            return false;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteHeader(json, row.SealId, row.Seq, row.Kind, row.AtMs, row.RecordedMs, row.DeviceId, row.Actor, row.ApplicationId, row.TokenId, row.Source);
            json.Flush();
        }

        ReadOnlySpan<char> header = row.Payload.AsSpan(0, marker);
        return Encoding.UTF8.GetString(buffer.WrittenSpan).AsSpan().SequenceEqual(header);
    }

    public static string Hash(string prevHash, string payload)
    {
        int bodyLength = Encoding.UTF8.GetByteCount(payload);
        byte[] rented = ArrayPool<byte>.Shared.Rent(32 + bodyLength);
        try
        {
            if (Convert.FromHexString(prevHash, rented.AsSpan(0, 32), out _, out int written) != OperationStatus.Done || written != 32)
            {
                throw new FormatException("a ledger hash is 64 hex digits");
            }

            Encoding.UTF8.GetBytes(payload, rented.AsSpan(32));
            return Convert.ToHexStringLower(SHA256.HashData(rented.AsSpan(0, 32 + bodyLength)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The stored fields of an entry (for display and exports).</summary>
    public static Dictionary<string, string> Fields(string payload)
    {
        using JsonDocument doc = JsonDocument.Parse(payload);
        return doc.RootElement.GetProperty("fields").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
    }

    internal static void WriteHeader(Utf8JsonWriter json, string sealId, long seq, string kind, long atMs, long recordedMs, string? deviceId, string? actor, string? applicationId, string? tokenId, string? source)
    {
        json.WriteStartObject();
        json.WriteString("seal", sealId);
        json.WriteNumber("seq", seq);
        json.WriteString("kind", kind);
        json.WriteNumber("at", atMs);
        json.WriteNumber("recorded", recordedMs);
        WriteOptional(json, "device", deviceId);
        WriteOptional(json, "actor", actor);
        WriteOptional(json, "app", applicationId);
        WriteOptional(json, "token", tokenId);
        WriteOptional(json, "source", source);
    }

    /// <summary>One thread's JSON writer and its buffer, reused for every entry it canonicalises (no await runs while one is in use).</summary>
    private sealed class CanonBuffer
    {
        [ThreadStatic]
        private static CanonBuffer? _current;

        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private readonly Utf8JsonWriter _json;
        private string[] _names = new string[32];
        private int _prefix;

        private CanonBuffer()
        {
            _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        /// <summary>The canonical JSON just written.</summary>
        public ReadOnlySpan<byte> Written => _buffer.WrittenSpan[_prefix..];

        /// <summary>The previous hash's 32 bytes followed by the canonical JSON: what the entry's hash covers.</summary>
        public ReadOnlySpan<byte> WrittenWithPrevHash => _buffer.WrittenSpan;

        public static CanonBuffer ForThisThread() => _current ??= new CanonBuffer();

        public void Write(string? prevHash, string sealId, long seq, string kind, long atMs, long recordedMs, string? deviceId, string? actor, string? applicationId, string? tokenId, string? source, IReadOnlyDictionary<string, string> fields)
        {
            _buffer.ResetWrittenCount();
            _prefix = 0;
            if (prevHash != null)
            {
                if (Convert.FromHexString(prevHash, _buffer.GetSpan(32)[..32], out _, out int written) != OperationStatus.Done || written != 32)
                {
                    throw new FormatException("a ledger hash is 64 hex digits");
                }

                _buffer.Advance(32);
                _prefix = 32;
            }

            _json.Reset(_buffer);
            WriteHeader(_json, sealId, seq, kind, atMs, recordedMs, deviceId, actor, applicationId, tokenId, source);
            _json.WritePropertyName("fields");
            _json.WriteStartObject();
            if (_names.Length < fields.Count)
            {
                _names = new string[fields.Count * 2];
            }

            int count = 0;
            foreach (string name in fields.Keys)
            {
                _names[count++] = name;
            }

            Array.Sort(_names, 0, count, StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                _json.WriteString(_names[i], fields[_names[i]]);
            }

            Array.Clear(_names, 0, count);
            _json.WriteEndObject();
            _json.WriteEndObject();
            _json.Flush();
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
