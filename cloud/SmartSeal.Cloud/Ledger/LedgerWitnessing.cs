using System.Text.Json;

namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// Hands each checkpoint (with its timestamp) to the witness under the write-once name
/// <c>checkpoint-{id:D12}.json</c>, and reads the witness back as trusted heads for the verifier.
/// A name that already holds a different checkpoint is refused and logged as an error: the
/// database's checkpoints were replaced or rolled back after the witness saw them.
/// </summary>
public sealed class LedgerWitnessing(ILedgerWitness witness, ILogger<LedgerWitnessing> logger)
{
    // Relaxed escaping keeps the signed heads readable in the file ("seal", not \u0022seal\u0022).
    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Describe() => witness.Describe();

    public static string NameOf(long checkpointId) => $"checkpoint-{checkpointId:D12}.json";

    /// <summary>The checkpoint's JSON as the witness and <c>ledger checkpoint --out</c> write it.</summary>
    public static byte[] ToFile(LedgerCheckpoint checkpoint) => JsonSerializer.SerializeToUtf8Bytes(checkpoint, FileJson);

    /// <summary>A checkpoint file, or null when it is not one.</summary>
    public static LedgerCheckpoint? FromFile(byte[] content)
    {
        try
        {
            LedgerCheckpoint? checkpoint = JsonSerializer.Deserialize<LedgerCheckpoint>(content, FileJson);
            return checkpoint is { Heads: not null, Root: not null, Signature: not null } ? checkpoint : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes one checkpoint; false when the witness holds a different one under its name (logged as an error) or is unreachable (a warning: retried later).</summary>
    public async Task<bool> ExportAsync(LedgerCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        string name = NameOf(checkpoint.Id);
        byte[] content = ToFile(checkpoint);
        try
        {
            if (await witness.TryAddAsync(name, content, cancellationToken) || (await witness.ReadAsync(name, cancellationToken))?.AsSpan().SequenceEqual(content) == true)
            {
                return true;
            }
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Ledger checkpoint {Id} not yet in the witness ({Witness}); retried at the next checkpoint period", checkpoint.Id, witness.Describe());
            return false;
        }

        logger.LogError("The witness ({Witness}) already holds a different checkpoint {Id}: refused to overwrite it. The database's checkpoints were replaced or rolled back; run ledger verify --witness", witness.Describe(), checkpoint.Id);
        return false;
    }

    /// <summary>Exports the checkpoints the witness does not have yet.</summary>
    public async Task ExportMissingAsync(IReadOnlyList<LedgerCheckpoint> checkpoints, CancellationToken cancellationToken)
    {
        var present = (await witness.NamesAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (LedgerCheckpoint checkpoint in checkpoints.Where(c => !present.Contains(NameOf(c.Id))))
        {
            await ExportAsync(checkpoint, cancellationToken);
        }
    }

    /// <summary>Every checkpoint in the witness; a file that is not one is reported by name.</summary>
    public async Task<(IReadOnlyList<LedgerCheckpoint> Checkpoints, IReadOnlyList<string> Unreadable)> ReadAllAsync(CancellationToken cancellationToken)
    {
        var checkpoints = new List<LedgerCheckpoint>();
        var unreadable = new List<string>();
        foreach (string name in await witness.NamesAsync(cancellationToken))
        {
            if (await witness.ReadAsync(name, cancellationToken) is { } content && FromFile(content) is { } checkpoint && NameOf(checkpoint.Id) == name)
            {
                checkpoints.Add(checkpoint);
            }
            else
            {
                unreadable.Add(name);
            }
        }

        return (checkpoints, unreadable);
    }
}
