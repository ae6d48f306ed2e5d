using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using Xunit.Abstractions;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>Runs only when <c>SMARTSEAL_DOCUMENT_EVALUATION</c> is set (photos per class and template): the evaluation is a command, not part of the suite.</summary>
public sealed class EvaluationFactAttribute : FactAttribute
{
    public EvaluationFactAttribute()
    {
        if (DocumentEvaluation.PhotosPerClass is null)
        {
            Skip = "the document check's evaluation: set SMARTSEAL_DOCUMENT_EVALUATION=<photos per class> (cloud/SmartSeal.Cloud/Documents/README.md)";
        }
    }
}

/// <summary>
/// The evaluation of issue 22 over <see cref="DocumentAttackSet"/>: every attack class on every
/// template, and genuine photos under each realistic distortion, through the real check (host,
/// OCR, picture). Prints false-pass per attack class, refuse/retake rates of genuine photos and the
/// decision times, and writes the table to <c>SMARTSEAL_DOCUMENT_EVALUATION_OUT</c> when set. The
/// picture-only run prints the densest-window measure for calibrating <see cref="PictureThresholds"/>.
/// </summary>
public class DocumentEvaluation(DocumentsFactory factory, ITestOutputHelper output) : CloudTest<DocumentsFactory>(factory)
{
    private readonly DocumentsFactory _factory = factory;

    public static int? PhotosPerClass => int.TryParse(Environment.GetEnvironmentVariable("SMARTSEAL_DOCUMENT_EVALUATION"), out int n) && n > 0 ? n : null;

    [EvaluationFact]
    public async Task Attack_set_through_the_whole_check()
    {
        int perClass = PhotosPerClass!.Value;
        PagePhotoChecker checker = _factory.Service<PagePhotoChecker>();
        var random = new Random(2222);
        var rows = new Dictionary<string, Dictionary<string, int>>();
        var times = new List<long>();
        var cpuTimes = new List<long>();
        var log = new StringBuilder();
        string lastCamera = string.Empty;
        Regex? only = Environment.GetEnvironmentVariable("SMARTSEAL_DOCUMENT_EVALUATION_ONLY") is { Length: > 0 } pattern ? new Regex(pattern) : null;
        foreach (DocumentAttackSet.Template template in DocumentAttackSet.Templates)
        {
            // Every sample's camera is drawn even when it is not run, so a subset sees the same photos as the whole run.
            var samples = new List<(string Name, Func<byte[][], byte[]> Photo)>();
            foreach (string attack in DocumentAttackSet.AttackClasses)
            {
                for (int i = 0; i < perClass; i++)
                {
                    TestDocuments.Camera camera = DocumentAttackSet.Camera("mild", random);
                    samples.Add(("attack " + attack, forged => Photographed(forged[0], camera)));
                }
            }

            foreach (string genuine in DocumentAttackSet.GenuineClasses)
            {
                for (int i = 0; i < perClass; i++)
                {
                    TestDocuments.Camera camera = DocumentAttackSet.Camera(genuine, random);
                    int page = i % 2;
                    samples.Add(("genuine " + genuine, pages => Photographed(pages[page], camera)));
                }
            }

            samples.RemoveAll(s => only is not null && !only.IsMatch($"{template.Name} {s.Name}"));
            if (samples.Count == 0)
            {
                continue;
            }

            DocumentWorld world = await DocumentWorld.CreateAsync(_factory);
            (string applicationId, _, byte[] copy) = await world.ApprovedContractAsync(TestDocuments.Pdf(template.Pages), stamps: 1000);
            byte[][] genuinePages = [TestDocuments.Render(copy, 1), TestDocuments.Render(copy, 2)];
            var forgeries = new Dictionary<string, byte[][]>();
            foreach ((string name, Func<byte[][], byte[]> photo) in samples)
            {
                byte[][] pages = !name.StartsWith("attack ", StringComparison.Ordinal) ? genuinePages
                    : forgeries.TryGetValue(name, out byte[][]? forged) ? forged : forgeries[name] = [DocumentAttackSet.Forge(template, name["attack ".Length..], copy).Png];
                await Decide(checker, applicationId, name, template.Name, photo(pages));
            }
        }

        byte[] Photographed(byte[] page, TestDocuments.Camera camera)
        {
            byte[] photo = TestDocuments.Photograph(page, camera);
            lastCamera = camera.ToString();
            if (Environment.GetEnvironmentVariable("SMARTSEAL_DOCUMENT_EVALUATION_PHOTOS") is { Length: > 0 } directory)
            {
                // For profiling a step on its own (tesseract's options, the QR search) on the very photos.
                File.WriteAllBytes(Path.Combine(directory, $"{rows.Values.Sum(r => r.Values.Sum()):D4}.jpg"), photo);
            }

            return photo;
        }

        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| class ({perClass} photos × {DocumentAttackSet.Templates.Length} templates) | ok | retake (unreadable) | refused (wrong-page/-document) | target |");
        table.AppendLine("|---|---|---|---|---|");
        foreach ((string name, Dictionary<string, int> counts) in rows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            int total = counts.Values.Sum();
            string Share(string verdict) => string.Create(CultureInfo.InvariantCulture, $"{counts.GetValueOrDefault(verdict)} ({100.0 * counts.GetValueOrDefault(verdict) / total:F0}%)");
            table.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Share("ok")} | {Share("unreadable")} | {Share("refused")} | {(name.StartsWith("attack", StringComparison.Ordinal) ? "ok ≤ 1%" : "refused ≤ 1%, retake ≤ 10%")} |");
        }

        times.Sort();
        table.AppendLine(CultureInfo.InvariantCulture, $"decision time over {times.Count} photos (one check at a time), wall clock: p50 {Percentile(times, 0.5)} ms, p95 {Percentile(times, 0.95)} ms, max {times[^1]} ms");
        cpuTimes.Sort();
        table.AppendLine(CultureInfo.InvariantCulture, $"CPU time per decision (this process and its tesseract, i.e. on one core): p50 {Percentile(cpuTimes, 0.5)} ms, p95 {Percentile(cpuTimes, 0.95)} ms, max {cpuTimes[^1]} ms; load average at the end {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine(log.ToString());
        output.WriteLine(table.ToString());
        if (Environment.GetEnvironmentVariable("SMARTSEAL_DOCUMENT_EVALUATION_OUT") is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, log + "\n" + table);
        }

        Assert.NotEmpty(times);

        async Task Decide(PagePhotoChecker checker, string applicationId, string name, string templateName, byte[] photo)
        {
            var clock = Stopwatch.StartNew();
            long cpu = StepTimes.CpuMilliseconds();
            PageVerdict verdict = await checker.CheckAsync(applicationId, photo, CancellationToken.None);
            times.Add(clock.ElapsedMilliseconds);
            cpuTimes.Add(StepTimes.CpuMilliseconds() - cpu);
            string outcome = verdict.Kind switch
            {
                DocumentVerdictKind.Ok => "ok",
                DocumentVerdictKind.Unreadable => "unreadable",
                _ => "refused",
            };
            Dictionary<string, int> row = rows.TryGetValue(name, out var r) ? r : rows[name] = [];
            row[outcome] = row.GetValueOrDefault(outcome) + 1;
            string line = string.Create(CultureInfo.InvariantCulture, $"{name,-30} {templateName,-10} {verdict.WireName,-14} {clock.ElapsedMilliseconds,5} ms {cpuTimes[^1],5} ms CPU  {verdict.Detail}");
            log.AppendLine(line);
            if (Environment.GetEnvironmentVariable("SMARTSEAL_DOCUMENT_EVALUATION_OUT") is { Length: > 0 } progress)
            {
                // Line by line as it goes: a long run cut short still shows what it decided.
                await File.AppendAllTextAsync(progress + ".progress", line + "\n    " + lastCamera + "\n" + string.Concat(verdict.Reasons.Select(r => "    " + r + "\n")));
            }
        }
    }

    /// <summary>The picture comparison alone (no host, no OCR): its measures on genuine and forged photos, for calibrating its thresholds.</summary>
    [EvaluationFact]
    public void Picture_comparison_measures()
    {
        int perClass = PhotosPerClass!.Value;
        var maker = new ApprovedCopyMaker(new PageCode(new MasterKey(Enumerable.Repeat((byte)0x21, 32).ToArray())));
        var random = new Random(7);
        var thresholds = new PictureThresholds();
        foreach (DocumentAttackSet.Template template in DocumentAttackSet.Templates)
        {
            byte[] copy = maker.Make("APP-EVAL", "DOC-EVAL", TestDocuments.Pdf(template.Pages), 10);
            ReferencePage[] references = [ReferencePage.FromPng(TestDocuments.Render(copy, 1, PagePicture.ReferenceDpi)), ReferencePage.FromPng(TestDocuments.Render(copy, 2, PagePicture.ReferenceDpi))];
            byte[][] genuinePages = [TestDocuments.Render(copy, 1), TestDocuments.Render(copy, 2)];
            foreach (string genuine in DocumentAttackSet.GenuineClasses)
            {
                for (int i = 0; i < perClass; i++)
                {
                    Measure($"genuine {genuine}", template.Name, TestDocuments.Photograph(genuinePages[i % 2], DocumentAttackSet.Camera(genuine, random)), references[i % 2]);
                }
            }

            foreach (string attack in DocumentAttackSet.AttackClasses)
            {
                (byte[] forged, int page) = DocumentAttackSet.Forge(template, attack, copy);
                for (int i = 0; i < perClass; i++)
                {
                    Measure($"attack {attack}", template.Name, TestDocuments.Photograph(forged, DocumentAttackSet.Camera("mild", random)), references[page - 1]);
                }
            }
        }

        void Measure(string name, string templateName, byte[] photo, ReferencePage reference)
        {
            var clock = Stopwatch.StartNew();
            DecodedPhoto decoded = PageCodeReader.Decode(photo, 1600);
            if (decoded.CodeCorners is null)
            {
                output.WriteLine($"{name,-30} {templateName,-10} no code");
                return;
            }

            PictureComparison picture = PagePicture.Compare(photo, 1600, decoded.CodeCorners, reference, thresholds);
            output.WriteLine($"{name,-30} {templateName,-10} {picture.Outcome,-7} {clock.ElapsedMilliseconds,4} ms {string.Join(" | ", picture.Measures)} | {picture.Detail}");
        }
    }

    private static long Percentile(List<long> sorted, double share) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * share) - 1)];
}
