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
}
