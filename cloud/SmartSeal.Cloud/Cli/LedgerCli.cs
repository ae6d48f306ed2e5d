using System.CommandLine;
using System.Diagnostics;
using SmartSeal.Cloud.Ledger;

namespace SmartSeal.Cloud.Cli;

/// <summary><c>smartseal-cloud ledger verify | checkpoint | tsa-certificate | bench</c>.</summary>
public static class LedgerCli
{
    private static readonly Option<string?> SealOption = new("--seal") { Description = "only this seal's chain" };
    private static readonly Option<FileInfo?> TrustedHeadOption = new("--trusted-head") { Description = "a checkpoint file kept outside the database (ledger checkpoint --out, or one from the witness): every head it signed must still be there" };
    private static readonly Option<DirectoryInfo?> WitnessOption = new("--witness") { Description = "a witness directory: all its checkpoints are trusted heads" };
    private static readonly Option<FileInfo?> OutOption = new("--out") { Description = "also write the checkpoint (with its timestamp) to this file, to keep outside the database" };
    private static readonly Option<int> EntriesOption = new("--entries") { Description = "entries to append", DefaultValueFactory = _ => 100_000 };
    private static readonly Option<int> SealsOption = new("--seals") { Description = "chains to spread them over", DefaultValueFactory = _ => 100 };
    private static readonly Option<int> BatchOption = new("--batch") { Description = "entries per transaction (ingest appends per batch)", DefaultValueFactory = _ => 500 };

    public static Command Build(Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices)
    {
        var ledger = new Command("ledger", "the use ledger");

        var verify = new Command("verify", "checks every chain against its hashes and the signed checkpoints (and trusted heads from outside the database); exit code 1 when broken, 2 when a trusted head cannot be read");
        verify.Add(SealOption);
        verify.Add(TrustedHeadOption);
        verify.Add(WitnessOption);
        verify.SetAction((r, ct) => withServices(async sp =>
        {
            LedgerVerifier verifier = sp.GetRequiredService<LedgerVerifier>();
            var trusted = new List<LedgerCheckpoint>();
            if (r.GetValue(TrustedHeadOption) is { } file)
            {
                if (!file.Exists || LedgerWitnessing.FromFile(await File.ReadAllBytesAsync(file.FullName, ct)) is not { } head)
                {
                    Console.Error.WriteLine($"{file.FullName} is not a ledger checkpoint file (write one with: ledger checkpoint --out FILE)");
                    return 2;
                }

                trusted.Add(head);
            }

            LedgerVerification result = r.GetValue(WitnessOption) is { } witness
                ? await verifier.VerifyAsync(r.GetValue(SealOption), new LedgerWitnessing(new FileLedgerWitness(witness.FullName), sp.GetRequiredService<ILogger<LedgerWitnessing>>()), trusted, ct)
                : await verifier.VerifyAsync(r.GetValue(SealOption), trusted, ct);
            Console.WriteLine($"{result.EntriesChecked} entries in {result.Chains} chains, {result.CheckpointsChecked} checkpoints, {result.TrustedCheckpointsChecked} trusted heads from outside the database, {result.Seconds:F2} s ({result.EntriesPerSecond:N0} entries/s)");
            foreach (LedgerProblem problem in result.Problems)
            {
                Console.WriteLine($"BROKEN {problem.SealId} #{problem.Seq}{(problem.EntryId is { } id ? $" (row {id})" : string.Empty)}: {problem.Problem}");
            }

            Console.WriteLine(result.Intact ? "intact" : "NOT INTACT");
            return result.Intact ? 0 : 1;
        }));
        ledger.Add(verify);

        var checkpoint = new Command("checkpoint", "signs and timestamps the current chain heads now and hands them to the witness");
        checkpoint.Add(OutOption);
        checkpoint.SetAction((r, ct) => withServices(async sp =>
        {
            LedgerCheckpoint made = (await sp.GetRequiredService<LedgerCheckpoints>().CreateAsync(evenIfUnchanged: true, ct))!;
            DateTimeOffset? stamped = made.TimeStampTime(sp.GetRequiredService<LedgerTimeStampAuthority>().CertificatePem);
            Console.WriteLine($"checkpoint {made.Id}: root {made.Root}, key {made.KeyId}, timestamped {stamped:O}, witness {sp.GetRequiredService<LedgerWitnessing>().Describe()}");
            if (r.GetValue(OutOption) is { } file)
            {
                await File.WriteAllBytesAsync(file.FullName, LedgerWitnessing.ToFile(made), ct);
                Console.WriteLine($"trusted head written to {file.FullName}: keep it outside the database and verify with ledger verify --trusted-head");
            }

            return 0;
        }));
        ledger.Add(checkpoint);

        var certificate = new Command("tsa-certificate", "prints the time-stamping authority's certificate (PEM), for openssl ts -verify -CAfile");
        certificate.SetAction((_, _) => withServices(sp =>
        {
            Console.Write(sp.GetRequiredService<LedgerTimeStampAuthority>().CertificatePem);
            return Task.FromResult(0);
        }));
        ledger.Add(certificate);

        var bench = new Command("bench", "appends synthetic entries in ingest-sized transactions, then verifies; prints entries/s for both (use a scratch data directory)");
        bench.Add(EntriesOption);
        bench.Add(SealsOption);
        bench.Add(BatchOption);
        bench.SetAction((r, ct) => withServices(async sp =>
        {
            int total = r.GetValue(EntriesOption);
            int seals = Math.Max(1, r.GetValue(SealsOption));
            int batch = Math.Max(1, r.GetValue(BatchOption));
            LedgerService service = sp.GetRequiredService<LedgerService>();
            string run = Guid.NewGuid().ToString("n")[..6];
            var watch = Stopwatch.StartNew();
            for (int done = 0; done < total; done += batch)
            {
                var entries = Enumerable.Range(done, Math.Min(batch, total - done)).Select(i => new LedgerEntry
                {
                    SealId = $"bench-{run}-{i % seals}", Kind = LedgerKinds.Stamp, AtMs = 1_800_000_000_000 + i, DeviceId = "lock-bench", Actor = "bench.user",
                    ApplicationId = "app-" + (i / 10), TokenId = "tok-" + (i / 10), Source = $"bench:{run}:{i}",
                    Fields = new Dictionary<string, string> { ["document"] = "合同-" + i, ["page"] = "1", ["copies"] = "1", ["photoBefore"] = new string('a', 64), ["photoAfter"] = new string('b', 64) },
                }).ToList();
                await service.AppendAsync(entries, ct);
            }

            double appendSeconds = watch.Elapsed.TotalSeconds;
            LedgerVerifier verifier = sp.GetRequiredService<LedgerVerifier>();
            LedgerVerification cold = await verifier.VerifyAsync(cancellationToken: ct); // first run: JIT and page cache
            LedgerVerification verified = await verifier.VerifyAsync(cancellationToken: ct);
            Console.WriteLine("| operation | entries | seconds | entries/s |");
            Console.WriteLine("|---|---:|---:|---:|");
            Console.WriteLine($"| append ({seals} chains, {batch} per transaction) | {total:N0} | {appendSeconds:F2} | {total / appendSeconds:N0} |");
            Console.WriteLine($"| verify, first run in the process (all {cold.Chains} chains) | {cold.EntriesChecked:N0} | {cold.Seconds:F2} | {cold.EntriesPerSecond:N0} |");
            Console.WriteLine($"| verify, again (all {verified.Chains} chains) | {verified.EntriesChecked:N0} | {verified.Seconds:F2} | {verified.EntriesPerSecond:N0} |");
            return verified.Intact ? 0 : 1;
        }));
        ledger.Add(bench);
        return ledger;
    }
}
