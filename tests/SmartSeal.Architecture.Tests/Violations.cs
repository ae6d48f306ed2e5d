namespace SmartSeal.Architecture.Tests;

/// <summary>
/// How every rule ends: it passes only when it finds nothing, and otherwise fails listing each
/// violation. There is no allowlist — the refactor of issue 14 emptied the last one, so a new
/// violation is fixed in the change that makes it, not recorded.
/// </summary>
public static class Violations
{
    public static void None(string rule, IEnumerable<string> found, ITestOutputHelper output)
    {
        List<string> violations = found.Distinct().Order(StringComparer.Ordinal).ToList();
        output.WriteLine($"{rule}: {violations.Count} violations");
        Assert.True(violations.Count == 0, $"{rule}: {violations.Count} violations:\n  " + string.Join("\n  ", violations));
    }
}
