using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// The verifier's hot path, with reused buffers: for one row, whether its columns are what its
/// payload says and whether its hash is SHA-256(previous hash || payload). Same rules as
/// <see cref="LedgerCanon"/>, without allocating per row beyond the row itself.
/// </summary>
internal sealed class LedgerRowChecker : IDisposable
{
    private static readonly byte[] FieldsMarker = Encoding.UTF8.GetBytes(",\"fields\":");
    private readonly ArrayBufferWriter<byte> _header = new(512);
    private readonly Utf8JsonWriter _json;
    private byte[] _input = new byte[1024];
    private readonly byte[] _hash = new byte[32];
    private readonly byte[] _expected = new byte[32];

    public LedgerRowChecker()
    {
        _json = new Utf8JsonWriter(_header, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    /// <summary>Null when the row is sound given <paramref name="prevHash"/>, else why not.</summary>
    public string? Check(StoredLedgerEntry row, string prevHash)
    {
        int length = Encoding.UTF8.GetMaxByteCount(row.Payload.Length) + 32;
        if (_input.Length < length)
        {
            _input = new byte[Math.Max(length, _input.Length * 2)];
        }

        if (Convert.FromHexString(prevHash, _input.AsSpan(0, 32), out _, out int prevBytes) != OperationStatus.Done || prevBytes != 32)
        {
            return "its previous hash is not 64 hex digits (edited)";
        }

        int payloadBytes = Encoding.UTF8.GetBytes(row.Payload, _input.AsSpan(32));
        ReadOnlySpan<byte> payload = _input.AsSpan(32, payloadBytes);
        int marker = payload.LastIndexOf(FieldsMarker);
        _header.ResetWrittenCount();
        _json.Reset(_header);
        LedgerCanon.WriteHeader(_json, row.SealId, row.Seq, row.Kind, row.AtMs, row.RecordedMs, row.DeviceId, row.Actor, row.ApplicationId, row.TokenId, row.Source);
        _json.Flush();
        if (marker < 0 || !_header.WrittenSpan.SequenceEqual(payload[..marker]))
        {
            return "its columns differ from what was hashed (edited)";
        }

        SHA256.HashData(_input.AsSpan(0, 32 + payloadBytes), _hash);
        if (Convert.FromHexString(row.Hash, _expected, out _, out int hashBytes) != OperationStatus.Done || hashBytes != 32 || !_hash.AsSpan().SequenceEqual(_expected))
        {
            return "its content does not match its hash (edited)";
        }

        return null;
    }

    public void Dispose() => _json.Dispose();
}
