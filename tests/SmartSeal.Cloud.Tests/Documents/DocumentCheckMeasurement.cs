using System.Diagnostics;
using System.Globalization;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using Xunit.Abstractions;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>
/// The check over a set of generated photos: genuine pages (rotation up to ±15°, blur, uneven
/// light, noise, JPEG 60), page 1's code pasted on page 2, and pages of another application. Asserts
/// that no forgery passes and that genuine pages pass; prints the counts and the verdict times.
/// The size of the set: <c>SMARTSEAL_DOCUMENT_PHOTOS</c> (default 3 per kind, to keep the suite fast).
/// </summary>
public class DocumentCheckMeasurement(DocumentsFactory factory, ITestOutputHelper output) : CloudTest<DocumentsFactory>(factory)
{
    private readonly DocumentsFactory _factory = factory;

    [Fact]
    public async Task No_forged_page_passes_and_genuine_pages_pass_over_a_generated_photo_set()
    {
        int perKind = int.TryParse(Environment.GetEnvironmentVariable("SMARTSEAL_DOCUMENT_PHOTOS"), out int n) ? n : 3;
        byte[] contract = TestDocuments.Pdf(TestDocuments.ContractPages);
        DocumentWorld world = await DocumentWorld.CreateAsync(_factory);
        (string applicationId, _, byte[] copy) = await world.ApprovedContractAsync(contract);
        (_, _, byte[] otherCopy) = await world.ApprovedContractAsync(contract);
        byte[][] pages = [TestDocuments.Render(copy, 1), TestDocuments.Render(copy, 2)];
        byte[] pasted = TestDocuments.PasteCorner(pages[0], pages[1], 280);
        byte[] otherPage = TestDocuments.Render(otherCopy, 1);
        PagePhotoChecker checker = _factory.Service<PagePhotoChecker>();
        var random = new Random(2026);
        var times = new List<long>();
        var counts = new Dictionary<string, int>();

        for (int i = 0; i < perKind; i++)
        {
            foreach ((string kind, byte[] page) in new[] { ("genuine", pages[i % 2]), ("pasted-code", pasted), ("other-application", otherPage) })
            {
                var camera = new TestDocuments.Camera(
                    RotationDegrees: random.NextDouble() * 30 - 15, Perspective: 0.02 + random.NextDouble() * 0.03, Blur: 0.5 + random.NextDouble(),
                    Noise: 4 + random.NextDouble() * 4, Shade: random.NextDouble() * 0.5, Quality: 60, Seed: random.Next());
                byte[] photo = TestDocuments.Photograph(page, camera);
                var clock = Stopwatch.StartNew();
                PageVerdict verdict = await checker.CheckAsync(applicationId, photo, CancellationToken.None);
                times.Add(clock.ElapsedMilliseconds);
                string outcome = kind == "genuine"
                    ? (verdict.Kind == DocumentVerdictKind.Ok ? "pass" : verdict.Kind == DocumentVerdictKind.Unreadable ? "retake" : "false-fail")
                    : (verdict.Kind == DocumentVerdictKind.Ok ? "false-pass" : "caught");
                counts[$"{kind} {outcome}"] = counts.GetValueOrDefault($"{kind} {outcome}") + 1;
                output.WriteLine($"{kind,-18} rot {camera.RotationDegrees,6:F1}° blur {camera.Blur:F2} → {verdict.WireName,-15} {clock.ElapsedMilliseconds,5} ms  {verdict.Detail}");
            }
        }

        times.Sort();
        output.WriteLine(string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}")));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verdict time over {times.Count} photos: min {times[0]} ms, median {times[times.Count / 2]} ms, p90 {times[(int)(times.Count * 0.9)]} ms, max {times[^1]} ms"));

        Assert.Equal(0, counts.GetValueOrDefault("pasted-code false-pass") + counts.GetValueOrDefault("other-application false-pass"));
        Assert.Equal(perKind, counts.GetValueOrDefault("genuine pass"));
    }
}
