using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using OpenCvSharp;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Cli;

/// <summary><c>smartseal-cloud reports quarterly | export | bench</c> (as sysadmin: the whole ledger).</summary>
public static class ReportsCli
{
    private static readonly Option<int> YearOption = new("--year") { Description = "year", Required = true };
    private static readonly Option<int> QuarterOption = new("--quarter") { Description = "quarter 1-4", Required = true };
    private static readonly Option<string> OutOption = new("--out") { Description = "file to write (.pdf, .json or .csv)", Required = true };
    private static readonly Option<string> FormatOption = new("--format") { Description = "csv or pdf (default: from the --out extension)" };
    private static readonly Option<string?> SealOption = new("--seal") { Description = "one seal's chain" };
    private static readonly Option<string?> UnitOption = new("--unit") { Description = "a unit's subtree" };
    private static readonly Option<string?> PersonOption = new("--person") { Description = "actor or applicant (login)" };
    private static readonly Option<string?> KindOption = new("--kind") { Description = "entry kind (stamp, refusal, dispense, ...)" };
    private static readonly Option<string?> FromOption = new("--from") { Description = "from (a date like 2026-10-01 in the reports' time zone, or Unix ms)" };
    private static readonly Option<string?> ToOption = new("--to") { Description = "to, exclusive (a date, or Unix ms)" };
    private static readonly Option<int> EntriesOption = new("--entries") { Description = "ledger entries to seed", DefaultValueFactory = _ => 10_000 };
    private static readonly Option<int> PhotosOption = new("--photos") { Description = "distinct photos the entries refer to (round robin)", DefaultValueFactory = _ => 100 };
    private static readonly Option<string> DirOption = new("--dir") { Description = "where the bench writes its exports", DefaultValueFactory = _ => "." };

    /// <summary>Indented, Chinese kept as characters (the file is read by people and tools, not embedded in HTML).</summary>
    private static readonly JsonSerializerOptions ReadableJson = new(ApplicationJson.Options)
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Build(Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices)
    {
        var reports = new Command("reports", "ledger exports and audit reports");

        var quarterly = new Command("quarterly", "the quarterly audit report of every seal, as PDF or JSON (by the --out extension)");
        quarterly.Add(YearOption);
        quarterly.Add(QuarterOption);
        quarterly.Add(OutOption);
        quarterly.SetAction((r, ct) => withServices(async sp =>
        {
            int year = r.GetValue(YearOption), quarter = r.GetValue(QuarterOption);
            if (QuarterlyReports.Problems(year, quarter) is { Count: > 0 } problems)
            {
                Console.Error.WriteLine(string.Join("; ", problems.Select(p => $"--{p.Key}: {string.Join(", ", p.Value)}")));
                return 2;
            }

            QuarterlyReport report = await sp.GetRequiredService<QuarterlyReports>().BuildAsync(LedgerAudience.All("cli"), year, quarter, ct);
            string path = r.GetValue(OutOption)!;
            await using (FileStream file = File.Create(path))
            {
                if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                {
                    await JsonSerializer.SerializeAsync(file, report, ReadableJson, ct);
                }
                else
                {
                    QuarterlyReportPdf.Write(report, sp.GetRequiredService<ReportClock>(), sp.GetRequiredService<IOptions<ReportsOptions>>().Value.FontPath, file);
                }
            }

            Console.WriteLine($"{year} Q{quarter}: {report.Seals.Count} seals, {report.Uses} uses, {report.Refusals} refusals, {report.Alarms} alarms, " +
                              $"lead time median {QuarterlyReportPdf.Duration(report.LeadTimes.MedianMs)}, ledger {(report.Verification.Intact ? "intact" : "NOT INTACT")} → {path}");
            return report.Verification.Intact ? 0 : 1;
        }));
        reports.Add(quarterly);

        var export = new Command("export", "the ledger as CSV or PDF (filters as the API)");
        foreach (Option o in new Option[] { OutOption, FormatOption, SealOption, UnitOption, PersonOption, KindOption, FromOption, ToOption })
        {
            export.Add(o);
        }

        export.SetAction((r, ct) => withServices(async sp =>
        {
            ReportClock clock = sp.GetRequiredService<ReportClock>();
            var filter = new LedgerFilter(r.GetValue(SealOption), r.GetValue(UnitOption), r.GetValue(PersonOption), null, null, r.GetValue(KindOption),
                Instant(r.GetValue(FromOption), clock), Instant(r.GetValue(ToOption), clock) - 1);
            string path = r.GetValue(OutOption)!;
            bool pdf = (r.GetValue(FormatOption) ?? Path.GetExtension(path).TrimStart('.')).Equals("pdf", StringComparison.OrdinalIgnoreCase);
            var watch = Stopwatch.StartNew();
            await using FileStream file = File.Create(path);
            LedgerExports exports = sp.GetRequiredService<LedgerExports>();
            if (pdf)
            {
                int count = await exports.WritePdfAsync(LedgerAudience.All("cli"), filter, file, ct);
                Console.WriteLine($"{count} entries → {path} ({file.Length / 1024.0 / 1024.0:F1} MiB, {watch.Elapsed.TotalSeconds:F1} s)");
            }
            else
            {
                await exports.WriteCsvAsync(LedgerAudience.All("cli"), filter, file, ct);
                Console.WriteLine($"→ {path} ({file.Length / 1024.0 / 1024.0:F1} MiB, {watch.Elapsed.TotalSeconds:F1} s)");
            }

            return 0;
        }));
        reports.Add(export);

        var bench = new Command("bench", "seeds --entries stamp entries (each with an approved application and a photo) and times the CSV and PDF exports (use a scratch data directory)");
        bench.Add(EntriesOption);
        bench.Add(PhotosOption);
        bench.Add(DirOption);
        bench.SetAction((r, ct) => withServices(sp => BenchAsync(sp, Math.Max(1, r.GetValue(EntriesOption)), Math.Max(1, r.GetValue(PhotosOption)), r.GetValue(DirOption)!, ct)));
        reports.Add(bench);
        return reports;
    }

    /// <summary>A date (local midnight in the reports' zone) or Unix ms; null stays null.</summary>
    private static long? Instant(string? text, ReportClock clock)
    {
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long ms))
        {
            return ms;
        }

        DateOnly day = DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        DateTime local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, clock.Zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
    }

    private static async Task<int> BenchAsync(IServiceProvider sp, int entries, int photoCount, string directory, CancellationToken ct)
    {
        string run = Guid.NewGuid().ToString("n")[..6];
        string unit = "bench-" + run, applicant = "bench-applicant-" + run, sealId = "bench-seal-" + run, device = "bench-lock-" + run;
        Database database = sp.GetRequiredService<Database>();
        IPhotoStore store = sp.GetRequiredService<IPhotoStore>();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var watch = Stopwatch.StartNew();

        var hashes = new List<string>(photoCount);
        for (int i = 0; i < photoCount; i++)
        {
            using var image = new Mat(1200, 1600, MatType.CV_8UC3, new OpenCvSharp.Scalar(40 + i % 200, 90, 160));
            Cv2.PutText(image, $"bench {run} photo {i}", new OpenCvSharp.Point(80, 600), HersheyFonts.HersheySimplex, 4, OpenCvSharp.Scalar.White, 8);
            Cv2.ImEncode(".jpg", image, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 85));
            string sha = Convert.ToHexStringLower(SHA256.HashData(jpeg));
            await store.PutAsync(sha, PhotoVariant.Original, jpeg, ct);
            hashes.Add(sha);
        }

        int applications = (entries + 9) / 10;
        await using (DbConnection connection = await database.OpenAsync(ct))
        await using (DbTransaction transaction = await connection.BeginTransactionAsync(ct))
        {
            await connection.ExecuteAsync("INSERT INTO org_units (id, parent_id, path, name_zh, name_en, created_ms) VALUES (@unit, NULL, @path, '基准分公司', NULL, @now)",
                new { unit, path = "/" + unit + "/", now }, transaction);
            foreach (string login in new[] { applicant, "bench-head-" + run, "bench-owner-" + run })
            {
                await connection.ExecuteAsync(
                    "INSERT INTO users (login, display_name, unit_id, post, active, password_hash, failed_logins, locked_until_ms, created_ms) VALUES (@login, @name, @unit, '合同管理员', TRUE, NULL, 0, 0, @now)",
                    new { login, name = "张三 " + login, unit, now }, transaction);
            }

            await connection.ExecuteAsync(
                """
                INSERT INTO seals (id, name, type, unit_id, level, custodian, rfid_tag, state, location_kind, location_ref, location_ms, created_ms, updated_ms)
                VALUES (@sealId, '合同专用章', 'contract', @unit, 1, NULL, NULL, 'in-use', 'unknown', NULL, @now, @now, @now)
                """,
                new { sealId, unit, now }, transaction);
            foreach (string sha in hashes)
            {
                await connection.ExecuteAsync("INSERT INTO photos (sha256, bytes, created_ms) VALUES (@sha, 0, @now) ON CONFLICT (sha256) DO NOTHING", new { sha, now }, transaction);
            }

            var steps = new[] { new ApprovalStep("department-head", StepMode.Single, ["bench-head-" + run]), new ApprovalStep("seal-owner", StepMode.Single, ["bench-owner-" + run]) };
            for (int a = 0; a < applications; a++)
            {
                var votes = new[] { new Vote(1, 0, "bench-head-" + run, "bench-head-" + run, Decision.Approve, "同意", now - 3_600_000), new Vote(1, 1, "bench-owner-" + run, "bench-owner-" + run, Decision.Approve, null, now - 60_000) };
                await connection.ExecuteAsync(
                    """
                    INSERT INTO applications (id, applicant, applicant_unit, seal_id, purpose, documents, stamps, mode, location, window_from_ms, window_to_ms, urgency, chain, status, state, version,
                                              submitted_ms, step_due_ms, decided_ms, lead_time_ms, updated_ms)
                    VALUES (@id, @applicant, @unit, @sealId, '签订采购合同（基准）', @documents, 10, 'lock', NULL, @now, @to, 'normal', 'default', 'approved', @state, 3, @submitted, NULL, @decided, @lead, @now)
                    """,
                    new
                    {
                        id = $"bench-{run}-{a}", applicant, unit, sealId, documents = ApplicationJson.Write(new[] { new ApplicationDocument("采购合同.pdf", 12) }), now, to = now + 86_400_000,
                        state = ApplicationJson.Write(new ApprovalState(ApplicationStatus.Approved, 1, 1, steps, votes, 3)), submitted = now - 7_200_000, decided = now - 60_000, lead = 7_140_000L,
                    },
                    transaction);
            }

            await transaction.CommitAsync(ct);
        }

        LedgerService ledger = sp.GetRequiredService<LedgerService>();
        foreach (int[] chunk in Enumerable.Range(0, entries).Chunk(500))
        {
            await ledger.AppendAsync(chunk.Select(i => new LedgerEntry
            {
                SealId = sealId, Kind = LedgerKinds.Stamp, AtMs = now + i, DeviceId = device, ApplicationId = $"bench-{run}-{i / 10}", TokenId = $"tok-{i / 10}", Source = $"bench:{run}:{i}",
                Fields = new Dictionary<string, string> { ["copies"] = "1", ["lat"] = "22.5431", ["lon"] = "114.0579", ["photos"] = hashes[i % hashes.Count], ["page"] = (i % 12 + 1).ToString(CultureInfo.InvariantCulture) },
            }).ToList(), ct);
        }

        Console.WriteLine($"seeded {entries:N0} entries, {applications:N0} applications, {photoCount} photos (1600x1200) in {watch.Elapsed.TotalSeconds:F1} s");
        LedgerExports exports = sp.GetRequiredService<LedgerExports>();
        var filter = new LedgerFilter(SealId: sealId);
        Directory.CreateDirectory(directory);

        string csvPath = Path.Combine(directory, $"bench-{run}.csv");
        watch.Restart();
        await using (FileStream csv = File.Create(csvPath))
        {
            await exports.WriteCsvAsync(LedgerAudience.All("bench"), filter, csv, ct);
        }

        double csvSeconds = watch.Elapsed.TotalSeconds;
        string pdfPath = Path.Combine(directory, $"bench-{run}.pdf");
        watch.Restart();
        await using (FileStream pdf = File.Create(pdfPath))
        {
            await exports.WritePdfAsync(LedgerAudience.All("bench"), filter, pdf, ct);
        }

        double pdfSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine("| export | entries | seconds | entries/s | size |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine($"| CSV | {entries:N0} | {csvSeconds:F2} | {entries / csvSeconds:N0} | {new FileInfo(csvPath).Length / 1048576.0:F1} MiB |");
        Console.WriteLine($"| PDF ({photoCount} distinct photos, thumbnails made on first use) | {entries:N0} | {pdfSeconds:F2} | {entries / pdfSeconds:N0} | {new FileInfo(pdfPath).Length / 1048576.0:F1} MiB |");
        return 0;
    }
}
