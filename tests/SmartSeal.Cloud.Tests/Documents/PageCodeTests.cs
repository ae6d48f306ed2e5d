using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>Page codes, approved copies and what the camera path makes of them, without a host.</summary>
public class PageCodeTests
{
    private static readonly PageCode Codes = new(new MasterKey(CloudFactory.MasterKey));

    [Fact]
    public void A_page_code_verifies_and_names_its_application_document_and_page()
    {
        string text = Codes.Encode(new PageCodeContent("ap-0123456789abcdef", "dc-0123456789ab", 2));

        Assert.Equal(new PageCodeContent("ap-0123456789abcdef", "dc-0123456789ab", 2), Codes.Decode(text, out string? problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("ap-0123456789abcdef", "dc-0123456789ab", "3")] // another page under the same MAC
    [InlineData("ap-fedcba9876543210", "dc-0123456789ab", "2")] // moved to another application
    public void A_code_edited_to_another_page_or_application_is_refused(string application, string document, string page)
    {
        string[] parts = Codes.Encode(new PageCodeContent("ap-0123456789abcdef", "dc-0123456789ab", 2)).Split('|');
        string edited = string.Join('|', parts[0], application, document, page, parts[4]);

        Assert.Null(Codes.Decode(edited, out string? problem));
        Assert.Contains("MAC", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Codes_made_under_another_master_key_and_other_systems_codes_are_refused()
    {
        var other = new PageCode(new MasterKey(Enumerable.Repeat((byte)7, 32).ToArray()));
        string foreign = other.Encode(new PageCodeContent("ap-0123456789abcdef", "dc-0123456789ab", 1));

        Assert.Null(Codes.Decode(foreign, out string? forged));
        Assert.Contains("MAC", forged, StringComparison.Ordinal);
        Assert.Null(Codes.Decode("https://example.com/invoice/42", out string? notOurs));
        Assert.Contains("not a SmartSeal page code", notOurs, StringComparison.Ordinal);
    }

    [Fact]
    public void The_approved_copy_keeps_every_page_and_its_text_and_puts_the_code_in_a_corner_free_of_text()
    {
        byte[] pdf = TestDocuments.Pdf(TestDocuments.ContractPages);
        IReadOnlyList<PdfPageContent> original = PdfContent.Read(pdf, 10);

        byte[] copy = new ApprovedCopyMaker(Codes).Make("ap-0123456789abcdef", "dc-0123456789ab", pdf, 10);

        IReadOnlyList<PdfPageContent> copied = PdfContent.Read(copy, 10);
        Assert.Equal(2, copied.Count);
        Assert.Equal(original.Select(p => p.Text), copied.Select(p => p.Text));
        Assert.Contains("合同金额", copied[1].Text, StringComparison.Ordinal);
        Assert.All(original, page => Assert.Equal(0, CodeCorner.Choose(page).Overlap));
    }

    [Fact]
    public void A_page_with_text_in_the_bottom_right_corner_gets_its_code_in_another_corner()
    {
        var crowded = new PdfPageContent(1, 595, 842, "x", [new UglyToad.PdfPig.Core.PdfRectangle(500, 20, 580, 60)]);

        CodePlacement placement = CodeCorner.Choose(crowded);

        Assert.Equal("bottom-left", placement.Corner);
        Assert.Equal(0, placement.Overlap);
    }

    [Fact]
    public async Task A_photographed_page_of_the_copy_gives_back_its_code_and_text_close_to_its_own_page_only()
    {
        byte[] pdf = TestDocuments.Pdf(TestDocuments.ContractPages);
        byte[] copy = new ApprovedCopyMaker(Codes).Make("ap-0123456789abcdef", "dc-0123456789ab", pdf, 10);
        byte[] photo = TestDocuments.Photograph(TestDocuments.Render(copy, 2), new TestDocuments.Camera(RotationDegrees: -6, Seed: 11));

        DecodedPhoto decoded = PageCodeReader.Decode(photo, 1600);
        string read = TextSimilarity.Normalise(await new TesseractOcr(Options.Create(new DocumentOptions { OcrTimeoutSeconds = 120 })).ReadAsync(decoded.OcrPng, CancellationToken.None));

        Assert.Equal(new PageCodeContent("ap-0123456789abcdef", "dc-0123456789ab", 2), Codes.Decode(decoded.CodeText!, out _));
        IReadOnlyList<PdfPageContent> pages = PdfContent.Read(pdf, 10);
        double own = TextSimilarity.Containment(TextSimilarity.Normalise(pages[1].Text), read);
        double other = TextSimilarity.Containment(TextSimilarity.Normalise(pages[0].Text), read);
        Assert.True(own >= 0.45 && other < own - 0.1, $"page 2 {own:P0}, page 1 {other:P0}; OCR: {read}");
    }
}
