using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>
/// The forgeries of issue 22, each on an approved page reprinted with the genuine page code moved
/// onto it (what a dishonest applicant can do), photographed like a lock's camera: every one must
/// be refused as edited. And genuine but poor photos must never be called edited (a retake is fine).
/// </summary>
public class DocumentForgeryTests(DocumentsFactory factory) : CloudTest<DocumentsFactory>(factory)
{
    private readonly DocumentsFactory _cloud = factory;

    /// <summary>Pixels of the bottom-right corner holding the code at 200 dpi (inset + code, with room).</summary>
    private const int CodeCornerPixels = 280;

    /// <summary>
    /// One forgery: the page it is on, the edits (<c>from=&gt;to</c>, separated by <c>|</c>) and, for
    /// forgeries of values the contract does not have, the edits that make the approved document first.
    /// </summary>
    public static TheoryData<string, int, string, string> Forgeries() => new()
    {
        { "amount changed only in its English repetition", 2, "1,200,000.00=>1,800,000.00", "" },
        { "amount and a neighbouring word each side", 2, "合同金额=>合同总额|壹佰贰拾=>壹佰捌拾|Article 4: Contract=>Art. 4: Contract|1,200,000.00 in total=>1,800,000.00 in all", "" },
        { "one Chinese numeral: 一年 → 五年", 1, "起一年=>起五年", "" },
        { "one digit of a percentage: 5% → 9%", 2, "0.05%=>0.09%", "" },
        { "a clause added in the blank space at the bottom", 1, "开发大道八号。=>开发大道八号。\n第十条 乙方放弃全部索赔权利。", "" },
        { "100,000 → 10,000 (a dropped digit)", 2, "100,000.00=>10,000.00", "1,200,000.00=>100,000.00" },
        { "one digit of a date: 9月1日 → 9月7日", 1, "9月1日=>9月7日", "二〇二六年九月一日=>2026年9月1日" },
        { "a similar company name: 星河 → 恒通", 1, "星河电子=>恒通电子", "" },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_page_under_its_genuine_code_is_refused_as_edited(string forgery, int page, string edits, string approvedEdits)
    {
        string[][] approved = TestDocuments.Edit(TestDocuments.ContractPages, page, approvedEdits);
        string[][] forged = TestDocuments.Edit(approved, page, edits);
        Assert.NotEqual(string.Join("\n", approved[page - 1]), string.Join("\n", forged[page - 1]));
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, _, byte[] copy) = await world.ApprovedContractAsync(TestDocuments.Pdf(approved));
        byte[] reprinted = TestDocuments.Render(TestDocuments.Pdf(forged), page);
        byte[] withGenuineCode = TestDocuments.PasteCorner(TestDocuments.Render(copy, page), reprinted, CodeCornerPixels);

        PageVerdict verdict = await _cloud.Service<PagePhotoChecker>().CheckAsync(applicationId, TestDocuments.Photograph(withGenuineCode, new TestDocuments.Camera(Seed: 41)), CancellationToken.None);

        Assert.True(verdict.Kind == DocumentVerdictKind.WrongPage && verdict.Detail.Contains("edited", StringComparison.Ordinal),
            $"{forgery}: {verdict.WireName} — {string.Join(" / ", verdict.Reasons)}");
    }

    /// <summary>Genuine photos a phone makes on a bad day: seen from well off the side, or in a dim room.</summary>
    public static TheoryData<string, int, double, double, int> PoorPhotos() => new()
    {
        { "perspective 0.12", 1, 0.12, 1.0, 51 },
        { "perspective 0.15", 2, 0.15, 1.0, 52 },
        { "light ×0.25", 1, 0.04, 0.25, 53 },
        { "light ×0.25", 2, 0.04, 0.25, 54 },
    };

    [Theory]
    [MemberData(nameof(PoorPhotos))]
    public async Task A_genuine_but_poor_photo_passes_or_asks_for_a_retake_and_is_never_called_edited(string condition, int page, double perspective, double light, int seed)
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, _, byte[] copy) = await world.ApprovedContractAsync(TestDocuments.Pdf(TestDocuments.ContractPages));
        var camera = new TestDocuments.Camera(Perspective: perspective, Light: light, Seed: seed);

        PageVerdict verdict = await _cloud.Service<PagePhotoChecker>().CheckAsync(applicationId, TestDocuments.Photograph(TestDocuments.Render(copy, page), camera), CancellationToken.None);

        Assert.True(verdict.Kind is DocumentVerdictKind.Ok or DocumentVerdictKind.Unreadable, $"{condition}: {verdict.WireName} — {string.Join(" / ", verdict.Reasons)}");
        if (verdict.Kind == DocumentVerdictKind.Unreadable)
        {
            Assert.Contains("retake", verdict.Detail, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The letter's 每平方米38元 → 39元 under its genuine code (the evaluation's one false pass, issue 22):
    /// an 8 and a 9 share most of their ink, so the picture stays below a change (densest window 9); the
    /// OCR reads 39 for sure between characters it reads as approved, and that decides.
    /// </summary>
    [Fact]
    public async Task A_one_digit_change_inside_a_Chinese_run_is_refused_as_edited()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, _, byte[] copy) = await world.ApprovedContractAsync(TestDocuments.Pdf(DocumentAttackSet.Letter.Pages));
        (byte[] forged, int page) = DocumentAttackSet.Forge(DocumentAttackSet.Letter, "single-digit", copy);
        Assert.Equal(1, page);
        // The evaluation's camera for that photo (SMARTSEAL_DOCUMENT_EVALUATION=1, letter, attack single-digit).
        var camera = new TestDocuments.Camera(RotationDegrees: 3.284033936114998, Perspective: 0.03558175881653175, Blur: 1.0225808339764275, Noise: 3.8941105291685605, Shade: 0.23901555195404944, Quality: 67, Seed: 1705740706);

        PageVerdict verdict = await _cloud.Service<PagePhotoChecker>().CheckAsync(applicationId, TestDocuments.Photograph(forged, camera), CancellationToken.None);

        Assert.True(verdict.Kind == DocumentVerdictKind.WrongPage && verdict.Detail.Contains("edited", StringComparison.Ordinal),
            $"38元 → 39元: {verdict.WireName} — {string.Join(" / ", verdict.Reasons)}");
        Assert.Contains("39", verdict.Detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// The letter photographed off a screen (moiré 0.24): the bands raise the picture's windows where
    /// the OCR drops a "1" from 10月1日 with confidence 88 — but no approved ink is missing there, so it
    /// is an OCR slip, never "edited" (the evaluation's one genuine photo refused, issue 22).
    /// </summary>
    [Fact]
    public async Task A_genuine_photo_under_screen_moire_passes_or_asks_for_a_retake_and_is_never_called_edited()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        (string applicationId, _, byte[] copy) = await world.ApprovedContractAsync(TestDocuments.Pdf(DocumentAttackSet.Letter.Pages));
        // The evaluation's camera for that photo (SMARTSEAL_DOCUMENT_EVALUATION=1, letter, genuine moire).
        var camera = new TestDocuments.Camera(RotationDegrees: 4.955948911121091, Perspective: 0.04251737249666703, Blur: 0.8258252037809348, Noise: 6.540290117049725, Shade: 0.1918954490646233, Quality: 70, Seed: 662079775, Moire: 0.2360546171134592);

        PageVerdict verdict = await _cloud.Service<PagePhotoChecker>().CheckAsync(applicationId, TestDocuments.Photograph(TestDocuments.Render(copy, 1), camera), CancellationToken.None);

        Assert.True(verdict.Kind is DocumentVerdictKind.Ok or DocumentVerdictKind.Unreadable, $"moiré: {verdict.WireName} — {string.Join(" / ", verdict.Reasons)}");
        if (verdict.Kind == DocumentVerdictKind.Unreadable)
        {
            Assert.Contains("retake", verdict.Detail, StringComparison.Ordinal);
        }
    }
}
