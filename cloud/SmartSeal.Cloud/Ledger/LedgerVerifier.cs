using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ledger;

/// <summary>Where the ledger stops being trustworthy, and why.</summary>
public sealed record LedgerProblem(string SealId, long Seq, long? EntryId, string Problem);

public sealed record LedgerVerification(bool Intact, long EntriesChecked, int Chains, int CheckpointsChecked, LedgerProblem? FirstProblem, IReadOnlyList<LedgerProblem> Problems, double Seconds,
    int TrustedCheckpointsChecked = 0)
{
    public double EntriesPerSecond => Seconds > 0 ? EntriesChecked / Seconds : 0;
}

/// <summary>
/// Proves the ledger intact or names the first broken entry: every chain must run 1, 2, 3...
/// (a gap is a deletion), each entry must link to its predecessor's hash (a swap or edit breaks
/// the link), its columns must be exactly what its hashed payload says, its hash must be the
/// SHA-256 of the predecessor's hash and the payload, the chain must reach its recorded head, and
/// every signed checkpoint must still find the heads it signed. Recomputing all hashes after an
/// edit does not help an attacker past a checkpoint: its signature needs the cloud's private key.
/// The database's own checkpoints cannot stop someone who deletes the newest entries together
/// with the newest checkpoints; <em>trusted</em> checkpoints from outside the database (a file from
/// <c>ledger checkpoint --out</c>, or the witness) can: every head they signed must still be there.
/// </summary>
public sealed class LedgerVerifier(Database database, LedgerSigner signer, LedgerTimeStampAuthority authority)
{
    public const int MaxProblemsReported = 100;

    public Task<LedgerVerification> VerifyAsync(string? sealId = null, CancellationToken cancellationToken = default) => VerifyAsync(sealId, [], cancellationToken);

    /// <summary>Verifies with the witness's checkpoints (and <paramref name="alsoTrusted"/>) as trusted heads; a witness file that is not a checkpoint is a problem.</summary>
    public async Task<LedgerVerification> VerifyAsync(string? sealId, LedgerWitnessing witness, IReadOnlyList<LedgerCheckpoint> alsoTrusted, CancellationToken cancellationToken = default)
    {
        (IReadOnlyList<LedgerCheckpoint> trusted, IReadOnlyList<string> unreadable) = await witness.ReadAllAsync(cancellationToken);
        LedgerVerification result = await VerifyAsync(sealId, [.. alsoTrusted, .. trusted], cancellationToken);
        if (unreadable.Count == 0)
        {
            return result;
        }

        var problems = unreadable.Select(name => new LedgerProblem("*", 0, null, $"witness object {name} is not a checkpoint file")).Concat(result.Problems).Take(MaxProblemsReported).ToList();
        return result with { Intact = false, FirstProblem = problems[0], Problems = problems };
    }

    /// <summary>
    /// Verifies with <paramref name="trusted"/> checkpoints kept outside the database: each must be
    /// signed with the ledger key (and its timestamp the authority's), present unchanged among the
    /// database's checkpoints, and every head it names must still be in the chains.
    /// </summary>
    public async Task<LedgerVerification> VerifyAsync(string? sealId, IReadOnlyList<LedgerCheckpoint> trusted, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var problems = new List<LedgerProblem>();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);

        var checkpoints = (await connection.QueryAsync<LedgerCheckpoint>($"SELECT {LedgerCheckpoint.Columns} FROM ledger_checkpoints ORDER BY id")).ToList();
        var anchors = new Dictionary<(string, long), (string Hash, long Checkpoint)>();
        foreach (LedgerCheckpoint checkpoint in checkpoints)
        {
            if (LedgerCheckpoints.Root(checkpoint.Heads) != checkpoint.Root || !LedgerSigner.Verify(signer.PublicKeyPem, Encoding.UTF8.GetBytes(checkpoint.Root), checkpoint.Signature))
            {
                Add(problems, new LedgerProblem("*", 0, null, $"checkpoint {checkpoint.Id} is not signed by this cloud's ledger key or was altered"));
                continue;
            }

            AddAnchors(anchors, checkpoint, sealId);
        }

        var stored = checkpoints.ToDictionary(c => c.Id);
        foreach (LedgerCheckpoint checkpoint in trusted)
        {
            // Last, so a trusted head wins over whatever the database says about the same entry.
            if (checkpoint.Problem(signer.PublicKeyPem, authority.CertificatePem) is { } wrong)
            {
                Add(problems, new LedgerProblem("*", 0, null, $"trusted checkpoint {checkpoint.Id} {wrong}"));
                continue;
            }

            if (!stored.TryGetValue(checkpoint.Id, out LedgerCheckpoint? inDatabase))
            {
                Add(problems, new LedgerProblem("*", 0, null, $"checkpoint {checkpoint.Id} (trusted copy outside the database) is missing from the database (deleted)"));
            }
            else if (inDatabase.Root != checkpoint.Root)
            {
                Add(problems, new LedgerProblem("*", 0, null, $"checkpoint {checkpoint.Id} in the database differs from its trusted copy outside the database (replaced)"));
            }

            AddAnchors(anchors, checkpoint, sealId);
        }

        var heads = (await connection.QueryAsync<ChainHead>(
            "SELECT seal_id AS Seal, seq AS Seq, hash AS Hash FROM ledger_heads WHERE (@sealId IS NULL OR seal_id = @sealId)", new { sealId }))
            .ToDictionary(h => h.Seal, StringComparer.Ordinal);
        // Chains are independent: split the seals into contiguous ranges and check them on all cores.
        var seals = (await connection.QueryAsync<string>(
            "SELECT DISTINCT seal_id FROM ledger_entries WHERE (@sealId IS NULL OR seal_id = @sealId)", new { sealId }))
            .Concat(heads.Keys).Distinct(StringComparer.Ordinal).OrderBy(x => x, StringComparer.Ordinal).ToList();
        int partitions = Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, seals.Count));
        var ranges = Enumerable.Range(0, partitions)
            .Select(p => seals.GetRange(p * seals.Count / partitions, ((p + 1) * seals.Count / partitions) - (p * seals.Count / partitions)))
            .Where(r => r.Count > 0)
            .ToList();
        RangeResult[] results = await Task.WhenAll(ranges.Select(r => Task.Run(() => VerifyRangeAsync(r[0], r[^1], anchors, cancellationToken), cancellationToken)));

        var lastSeqOfChain = new Dictionary<string, long>(StringComparer.Ordinal);
        long checkedCount = 0;
        foreach (RangeResult result in results)
        {
            checkedCount += result.Checked;
            foreach (KeyValuePair<string, long> last in result.LastSeq)
            {
                lastSeqOfChain[last.Key] = last.Value;
            }

            foreach ((string, long) matched in result.MatchedAnchors)
            {
                anchors.Remove(matched);
            }

            foreach (LedgerProblem problem in result.Problems)
            {
                Add(problems, problem);
            }
        }

        foreach (ChainHead head in heads.Values)
        {
            long last = lastSeqOfChain.GetValueOrDefault(head.Seal);
            if (head.Seq > last)
            {
                Add(problems, new LedgerProblem(head.Seal, last + 1, null, $"entries {last + 1}..{head.Seq} are missing (the chain was cut short)"));
            }
        }

        foreach (KeyValuePair<(string Seal, long Seq), (string Hash, long Checkpoint)> missing in anchors)
        {
            if (!problems.Any(p => p.SealId == missing.Key.Seal))
            {
                Add(problems, new LedgerProblem(missing.Key.Seal, missing.Key.Seq, null, $"entry signed by checkpoint {missing.Value.Checkpoint} is gone"));
            }
        }

        problems.Sort((a, b) => a.SealId == b.SealId ? a.Seq.CompareTo(b.Seq) : string.CompareOrdinal(a.SealId, b.SealId));
        watch.Stop();
        return new LedgerVerification(problems.Count == 0, checkedCount, lastSeqOfChain.Count, checkpoints.Count, problems.FirstOrDefault(), problems, watch.Elapsed.TotalSeconds, trusted.Count);
    }

    private static void AddAnchors(Dictionary<(string, long), (string Hash, long Checkpoint)> anchors, LedgerCheckpoint checkpoint, string? sealId)
    {
        foreach (ChainHead head in checkpoint.ParsedHeads().Where(h => sealId == null || h.Seal == sealId))
        {
            anchors[(head.Seal, head.Seq)] = (head.Hash, checkpoint.Id);
        }
    }

    private sealed record RangeResult(long Checked, Dictionary<string, long> LastSeq, List<(string, long)> MatchedAnchors, List<LedgerProblem> Problems);

    /// <summary>Checks the chains of seals <paramref name="first"/>..<paramref name="last"/> (ordinal) on its own connection.</summary>
    private async Task<RangeResult> VerifyRangeAsync(string first, string last, IReadOnlyDictionary<(string, long), (string Hash, long Checkpoint)> anchors, CancellationToken cancellationToken)
    {
        var problems = new List<LedgerProblem>();
        var lastSeq = new Dictionary<string, long>(StringComparer.Ordinal);
        var matched = new List<(string, long)>();
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        using var checker = new LedgerRowChecker();
        long checkedCount = 0;
        string? currentSeal = null;
        long expectedSeq = 1;
        string prev = LedgerCanon.Genesis;
        bool chainBroken = false;
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {LedgerQueries.Columns} FROM ledger_entries WHERE seal_id >= @first AND seal_id <= @last ORDER BY seal_id, seq";
        foreach ((string name, string value) in new[] { ("@first", first), ("@last", last) })
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (reader.Read())
        {
            StoredLedgerEntry row = LedgerQueries.Read(reader);
            if (row.SealId != currentSeal)
            {
                currentSeal = row.SealId;
                expectedSeq = 1;
                prev = LedgerCanon.Genesis;
                chainBroken = false;
            }

            checkedCount++;
            lastSeq[row.SealId] = row.Seq;
            if (chainBroken)
            {
                continue; // one problem per chain: everything after the first break is untrusted anyway
            }

            string? problem = null;
            if (row.Seq != expectedSeq)
            {
                problem = $"entries {expectedSeq}..{row.Seq - 1} are missing (deleted)";
            }
            else if (row.PrevHash != prev)
            {
                problem = "does not link to the previous entry (entries reordered, replaced or edited)";
            }
            else if (checker.Check(row, prev) is { } broken)
            {
                problem = broken;
            }
            else if (anchors.TryGetValue((row.SealId, row.Seq), out var anchor) && anchor.Hash != row.Hash)
            {
                problem = $"differs from what checkpoint {anchor.Checkpoint} signed (rewritten)";
            }

            if (problem != null)
            {
                Add(problems, new LedgerProblem(row.SealId, row.Seq == expectedSeq ? row.Seq : expectedSeq, row.Seq == expectedSeq ? row.Id : null, problem));
                chainBroken = true;
                continue;
            }

            if (anchors.ContainsKey((row.SealId, row.Seq)))
            {
                matched.Add((row.SealId, row.Seq));
            }

            prev = row.Hash;
            expectedSeq++;
        }

        return new RangeResult(checkedCount, lastSeq, matched, problems);
    }

    private static void Add(List<LedgerProblem> problems, LedgerProblem problem)
    {
        if (problems.Count < MaxProblemsReported)
        {
            problems.Add(problem);
        }
    }
}
