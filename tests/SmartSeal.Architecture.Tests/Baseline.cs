namespace SmartSeal.Architecture.Tests;

/// <summary>What a rule finds against its allowlist of today's violations.</summary>
public sealed record BaselineComparison(string Rule, IReadOnlyList<string> Allowed, IReadOnlyList<string> New, IReadOnlyList<string> Fixed)
{
    public string Summary =>
        $"{Rule}: {Allowed.Count} known violations remain in Baselines/{Rule}.txt, {New.Count} new, {Fixed.Count} fixed (delete those lines)";
}

/// <summary>
/// The allowlist of violations that existed when a rule was introduced (Baselines/&lt;rule&gt;.txt, one
/// per line, sorted). A rule passes while it finds exactly those: a new violation fails it, and so
/// does a listed one that is gone, so the list can only shrink. After a merge that moves code,
/// <c>SMARTSEAL_ARCH_BASELINE=write</c> rewrites the lists to what the rules find; review the diff.
/// </summary>
public static class Baseline
{
    public static string PathOf(string rule) => Path.Combine(Repository.TestSources, "Baselines", rule + ".txt");

    public static IReadOnlyList<string> Read(string rule) =>
        File.Exists(PathOf(rule))
            ? File.ReadAllLines(PathOf(rule)).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList()
            : [];

    public static BaselineComparison Compare(string rule, IEnumerable<string> found, IReadOnlyList<string> allowed)
    {
        var actual = new SortedSet<string>(found, StringComparer.Ordinal);
        var listed = new SortedSet<string>(allowed, StringComparer.Ordinal);
        return new BaselineComparison(
            rule,
            actual.Intersect(listed).ToList(),
            actual.Except(listed).ToList(),
            listed.Except(actual).ToList());
    }

    /// <summary>Compares what a rule found with its allowlist, prints the remaining count and fails on anything new or fixed.</summary>
    public static void Check(string rule, IEnumerable<string> found, ITestOutputHelper output, string header)
    {
        IReadOnlyList<string> foundList = found.ToList();
        if (Environment.GetEnvironmentVariable("SMARTSEAL_ARCH_BASELINE") == "write")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(PathOf(rule))!);
            File.WriteAllLines(PathOf(rule), [header, .. foundList.Distinct().Order(StringComparer.Ordinal)]);
        }

        Assert(Compare(rule, foundList, Read(rule)), output);
    }

    /// <summary>Prints the remaining count; fails on anything new (listed) or fixed (to delete from the list).</summary>
    public static void Assert(BaselineComparison comparison, ITestOutputHelper output)
    {
        output.WriteLine(comparison.Summary);
        Xunit.Assert.True(comparison.New.Count == 0, $"{comparison.Summary}. New:\n  " + string.Join("\n  ", comparison.New));
        Xunit.Assert.True(comparison.Fixed.Count == 0, $"{comparison.Summary}. Fixed, delete from the list:\n  " + string.Join("\n  ", comparison.Fixed));
    }
}
