using OpenCvSharp;
using SmartSeal.Cloud.Documents;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>The ordered text diff on its own: every short value counts, each difference is classed and carries the OCR's confidence and place.</summary>
public class TextDiffTests
{
    private const string Approved = "第二条 服务期限自2026年9月1日起一年。\nArticle 6: Late payment bears interest of 0.05% per day.\n甲方：深圳市星河电子有限公司";

    /// <summary>The OCR as words, one line per text line, every word read with <paramref name="confidence"/>.</summary>
    private static OcrPage Read(string text, double confidence = 95) =>
        new(text.Split('\n').SelectMany((line, l) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select((word, w) => new OcrWord(word, confidence, new Rect(100 * w, 40 * l, 90, 30), l))).ToList());

    [Fact]
    public void The_approved_text_read_back_has_no_differences_even_with_the_ocrs_o_0_and_l_1_confusions()
    {
        Assert.Empty(TextDiff.Compare(Approved, Read(Approved))!);
        Assert.Empty(TextDiff.Compare(Approved, Read(Approved.Replace("0.05%", "O.O5%", StringComparison.Ordinal).Replace("Late", "1ate", StringComparison.Ordinal)))!);
    }

    [Theory]
    [InlineData("9月1日", "9月7日", "date", "1", "7")]
    [InlineData("起一年", "起五年", "date", "一", "五")]
    [InlineData("0.05%", "0.09%", "percentage", "5", "9")]
    [InlineData("星河电子", "恒通电子", "name", "星河", "恒通")]
    [InlineData("bears interest", "bears no interest", "negation", "", "n0")]
    public void One_changed_value_is_one_difference_of_its_class(string from, string to, string expectedClass, string expected, string read)
    {
        IReadOnlyList<TextChange> changes = TextDiff.Compare(Approved, Read(Approved.Replace(from, to, StringComparison.Ordinal)))!;

        TextChange change = Assert.Single(changes);
        Assert.Equal((expectedClass, expected, read), (change.Class, change.Expected, change.Read));
        Assert.Equal(95, change.Confidence);
    }

    [Fact]
    public void A_difference_is_described_with_the_unchanged_characters_around_it()
    {
        TextChange change = Assert.Single(TextDiff.Compare(Approved, Read(Approved.Replace("9月1日", "9月7日", StringComparison.Ordinal)))!);

        Assert.Equal("date \"年9月1日起\" reads \"年9月7日起\" (confidence 95)", change.Describe());
    }

    [Fact]
    public void A_clause_added_at_the_bottom_is_extra_text_placed_where_it_was_read()
    {
        IReadOnlyList<TextChange> changes = TextDiff.Compare(Approved, Read(Approved + "\n第十条 乙方放弃全部索赔权利。", confidence: 91))!;

        TextChange change = Assert.Single(changes);
        Assert.Equal((TextChangeKind.Inserted, "extra text", "第十条乙方放弃全部索赔权利"), (change.Kind, change.Class, change.Read));
        Assert.Equal(3 * 40, change.Box.Y);
    }

    [Fact]
    public void A_deleted_value_is_vouched_for_by_the_words_either_side_and_an_unsure_reading_keeps_its_low_confidence()
    {
        TextChange deleted = Assert.Single(TextDiff.Compare(Approved, Read(Approved.Replace("起一年", "起年", StringComparison.Ordinal)))!);
        Assert.Equal((TextChangeKind.Deleted, "date", "一"), (deleted.Kind, deleted.Class, deleted.Expected));

        var unsure = Read(Approved.Replace("9月1日", "9月7日", StringComparison.Ordinal)).Words.Select(w => w.Text.Contains("9月7日", StringComparison.Ordinal) ? w with { Confidence = 40 } : w).ToList();
        Assert.Equal(40, Assert.Single(TextDiff.Compare(Approved, new OcrPage(unsure))!).Confidence);
    }

    [Fact]
    public void Tesseract_tsv_rows_become_words_with_their_line_confidence_and_box()
    {
        const string tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
            + "4\t1\t1\t1\t1\t0\t10\t20\t300\t30\t-1\t\n"
            + "5\t1\t1\t1\t1\t1\t10\t20\t100\t30\t96.5\t合同金额\n"
            + "5\t1\t1\t1\t1\t2\t120\t20\t100\t30\t41.2\t1,200,000\n"
            + "5\t1\t1\t1\t2\t1\t10\t60\t100\t30\t90\tTotal\n";

        OcrPage page = OcrPage.FromTsv(tsv);

        Assert.Equal("合同金额 1,200,000\nTotal", page.Text);
        Assert.Equal((41.2, new Rect(120, 20, 100, 30), 0), (page.Words[1].Confidence, page.Words[1].Box, page.Words[1].Line));
        Assert.Equal(1, page.Words[2].Line);
    }
}
