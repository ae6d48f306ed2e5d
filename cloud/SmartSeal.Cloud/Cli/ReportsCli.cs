using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenCvSharp;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Security;

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
        string sealId = "bench-seal-" + run, device = "bench-lock-" + run;
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

        int applicationCount = (entries + 9) / 10;
        IReadOnlyList<string> applications = await SeedApprovedApplicationsAsync(sp, run, sealId, applicationCount, now, ct);
        LedgerService ledger = sp.GetRequiredService<LedgerService>();
        long stampedFrom = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(); // after the approvals, as in use
        foreach (int[] chunk in Enumerable.Range(0, entries).Chunk(500))
        {
            await ledger.AppendAsync(chunk.Select(i => new LedgerEntry
            {
                SealId = sealId, Kind = LedgerKinds.Stamp, AtMs = stampedFrom + i, DeviceId = device, ApplicationId = applications[i / 10], TokenId = $"tok-{i / 10}", Source = $"bench:{run}:{i}",
                Fields = new Dictionary<string, string> { ["copies"] = "1", ["lat"] = "22.5431", ["lon"] = "114.0579", ["photos"] = hashes[i % hashes.Count], ["page"] = (i % 12 + 1).ToString(CultureInfo.InvariantCulture) },
            }).ToList(), ct);
        }

        Console.WriteLine($"seeded {entries:N0} entries, {applicationCount:N0} applications, {photoCount} photos (1600x1200) in {watch.Elapsed.TotalSeconds:F1} s");
        LedgerExports exports = sp.GetRequiredService<LedgerExports>();
        var filter = new LedgerFilter(SealId: sealId, Kind: LedgerKinds.Stamp); // the stamps only: submissions and approvals are on the seal's chain too
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

    /// <summary>
    /// Through the modules' own services, as an organisation would: a unit with a department, an
    /// applicant, a department head and a keeper, a seal put in use, and <paramref name="count"/> applications submitted and
    /// approved step by step (each approval ledgered on the seal's chain). Returns their ids.
    /// </summary>
    private static async Task<IReadOnlyList<string>> SeedApprovedApplicationsAsync(IServiceProvider sp, string run, string sealId, int count, long now, CancellationToken ct)
    {
        const string actor = "bench";
        string unit = "bench-" + run, department = unit + "-dept", applicant = "bench-applicant-" + run, head = "bench-head-" + run, owner = "bench-owner-" + run;
        OrgStore org = sp.GetRequiredService<OrgStore>();
        Accepted(await org.CreateUnitAsync(unit, null, "基准分公司", null, actor, ct));
        Accepted(await org.CreateUnitAsync(department, unit, "基准分公司合同部", null, actor, ct));
        foreach ((string login, string unitId) in new[] { (applicant, department), (head, department), (owner, unit) })
        {
            Accepted(await org.CreateUserAsync(login, "张三 " + login, unitId, "合同管理员", Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)), actor, ct));
        }

        // Two approvers: the department head (approver of the applicant's unit), then the seal's keeper (of the seal's unit above it).
        Accepted(await org.GrantRoleAsync(head, Roles.Approver, department, actor, ct));
        Accepted(await org.GrantRoleAsync(owner, Roles.Keeper, unit, actor, ct));

        SealRegistry seals = sp.GetRequiredService<SealRegistry>();
        var keeper = new CallerScope(actor, true, [], []);
        Accepted(await seals.RegisterAsync(new RegisterSeal(sealId, "合同专用章", SealType.Contract, unit, 1, null, Convert.ToHexString(RandomNumberGenerator.GetBytes(8))), keeper, ct));
        Accepted(await seals.TransitionAsync(sealId, SealAction.Engrave, null, null, keeper, ct));
        Accepted(await seals.TransitionAsync(sealId, SealAction.Activate, null, null, keeper, ct));

        ApplicationService service = sp.GetRequiredService<ApplicationService>();
        var request = new ApplicationRequest(sealId, "签订采购合同（基准）", [new ApplicationDocument("采购合同.pdf", 12)], 10, ApplicationMode.Lock, null, now, now + 86_400_000, Urgency.Normal);
        var ids = new List<string>(count);
        for (int a = 0; a < count; a++)
        {
            ApplicationView application = Accepted(await service.SubmitAsync(request, applicant, ct));
            while (application.Status == ApplicationStatus.Pending)
            {
                application = Accepted(await service.DecideAsync(application.Id, application.HeldBy[0], Decision.Approve, "同意", null, ct));
            }

            ids.Add(application.Id);
        }

        return ids;
    }

    private static T Accepted<T>(ChangeResult<T> result) =>
        result.Status == ChangeStatus.Ok
            ? result.Value!
            : throw new InvalidOperationException($"bench seeding refused ({result.Status}): {result.Error ?? string.Join("; ", (result.Problems ?? new Dictionary<string, string[]>()).Select(p => $"{p.Key}: {string.Join(", ", p.Value)}"))}");
}
