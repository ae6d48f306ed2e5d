using System.Text.RegularExpressions;

namespace SmartSeal.Portability.Tests;

/// <summary>A wall-clock sleep in a test source: a call of <c>Thread.Sleep</c> or <c>Task.Delay</c>.</summary>
public sealed record TestSleep(string File, int Line, string Text)
{
    public override string ToString() => $"{File}:{Line}: {Text}";
}

/// <summary>A sleep that is allowed to stay, where, how many times, and why.</summary>
public sealed record AllowedSleep(string File, string Snippet, string Why, int Count = 1);

/// <summary>
/// Finds the sleeps in the test sources (<c>tests/**/*.cs</c>) and reports every one that the
/// allowlist does not name, and every allowlist entry that no longer matches what is there.
/// Tests pass time with <c>FakeTimeProvider</c> and wait with a poll-until-condition helper.
/// </summary>
public static partial class TestSleepCheck
{
    [GeneratedRegex(@"\b(Thread\.Sleep|Task\.Delay)\s*\(")]
    private static partial Regex SleepCall();

    public static IReadOnlyList<TestSleep> Find(string repositoryRoot)
    {
        string tests = Path.Combine(repositoryRoot, "tests");
        var found = new List<TestSleep>();
        foreach (string path in Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(repositoryRoot, path).Replace('\\', '/');
            if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal))
            {
                continue;
            }

            string[] lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                if (SleepCall().IsMatch(lines[i]))
                {
                    found.Add(new TestSleep(relative, i + 1, lines[i].Trim()));
                }
            }
        }

        return found;
    }

    /// <summary>What is wrong: sleeps nobody allowed, and allowlist entries that match a different number of lines.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<TestSleep> sleeps, IReadOnlyList<AllowedSleep> allowed)
    {
        var problems = new List<string>();
        foreach (TestSleep sleep in sleeps)
        {
            if (!allowed.Any(a => Matches(a, sleep)))
            {
                problems.Add($"{sleep}  <- a new wall-clock sleep: pass time with FakeTimeProvider, wait with Eventually, or allow it in {nameof(AllowedTestSleeps)} with the reason");
            }
        }

        foreach (AllowedSleep entry in allowed)
        {
            int matched = sleeps.Count(s => Matches(entry, s));
            if (matched != entry.Count)
            {
                problems.Add($"{entry.File}: '{entry.Snippet}' is allowed {entry.Count} time(s) but found {matched}: update {nameof(AllowedTestSleeps)}");
            }
        }

        return problems;
    }

    private static bool Matches(AllowedSleep entry, TestSleep sleep) =>
        entry.File == sleep.File && sleep.Text.Contains(entry.Snippet, StringComparison.Ordinal);
}
