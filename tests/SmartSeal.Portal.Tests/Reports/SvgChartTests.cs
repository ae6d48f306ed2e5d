using System.Xml.Linq;
using SmartSeal.Cloud.Portal;

namespace SmartSeal.Portal.Tests.Reports;

/// <summary>The server-drawn charts: readable axis steps and well-formed SVG with a text label (no browser needed).</summary>
public sealed class SvgChartTests
{
    [Theory]
    [InlineData(0, true, 4)]
    [InlineData(1, true, 4)]
    [InlineData(5, true, 8)]
    [InlineData(9, true, 20)]
    [InlineData(37, true, 40)]
    [InlineData(95, true, 100)]
    [InlineData(0.3, false, 0.4)]
    [InlineData(7.3, false, 8)]
    public void The_axis_ends_at_four_even_steps_above_the_largest_value(double max, bool integers, double expected) =>
        Assert.Equal(expected, SvgChart.AxisMax(max, integers), 6);

    [Fact]
    public void A_stacked_bar_chart_is_an_image_with_one_bar_segment_per_nonzero_value_and_escaped_names()
    {
        string svg = SvgChart.StackedBars("用印 <次数>", ["2026-01", "2026-02"], [new SvgChart.Series("合同章 & 公章", [2, 0]), new SvgChart.Series("财务章", [1, 3])], "chart");
        XElement root = XElement.Parse(svg);
        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.Equal("用印 <次数>", (string?)root.Attribute("aria-label"));
        XNamespace none = XNamespace.None;
        Assert.Equal(3, root.Elements(none + "rect").Count());
        Assert.Contains(root.Descendants("title"), t => t.Value == "合同章 & 公章 2026-01: 2");
    }
}
