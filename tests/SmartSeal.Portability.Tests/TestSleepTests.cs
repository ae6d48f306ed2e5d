namespace SmartSeal.Portability.Tests;

/// <summary>
/// No test sleeps on the wall clock to pass time (issue 14): the sleeps left in tests/ are exactly
/// those in <see cref="AllowedTestSleeps"/>, each with its reason.
/// </summary>
public class TestSleepTests
{
    // Built, not written, so this file holds no sleep of its own.
    private static readonly string Delay = "Task" + ".Delay(";
    private static readonly string Sleep = "Thread" + ".Sleep(";

    [Fact]
    public void The_tests_sleep_only_where_the_allowlist_says_why()
    {
        IReadOnlyList<TestSleep> sleeps = TestSleepCheck.Find(SharedData.Layout.Root);
        Assert.Contains(sleeps, s => s.File == "tests/SmartSeal.Cloud.Tests/Infrastructure/Eventually.cs"); // the scan sees the tests
        IReadOnlyList<string> problems = TestSleepCheck.Problems(sleeps, AllowedTestSleeps.All);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_allowed_sleep_says_why()
    {
        Assert.All(AllowedTestSleeps.All, a => Assert.False(string.IsNullOrWhiteSpace(a.Why), a.File));
    }

    [Fact]
    public void A_planted_sleep_is_caught_and_a_stale_allowance_is_reported()
    {
        string root = Path.Combine(Path.GetTempPath(), "smartseal-sleep-check-" + Guid.NewGuid().ToString("n"));
        string folder = Path.Combine(root, "tests", "SmartSeal.Planted.Tests");
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllLines(Path.Combine(folder, "PlantedTests.cs"),
            [
                "public class PlantedTests",
                "{",
                $"    public async Task Sweeps() {{ await {Delay}TimeSpan.FromSeconds(4.5)); }}",
                $"    public void Waits() {{ {Sleep}100); }}",
                $"    public async Task Polls() {{ await {Delay}20); }}",
                "}",
            ]);
            IReadOnlyList<TestSleep> sleeps = TestSleepCheck.Find(root);
            Assert.Equal([3, 4, 5], sleeps.Select(s => s.Line));

            const string file = "tests/SmartSeal.Planted.Tests/PlantedTests.cs";
            var allowed = new[]
            {
                new AllowedSleep(file, Delay + "20)", "a poll interval"),
                new AllowedSleep(file, Delay + "999)", "gone since"),
            };
            IReadOnlyList<string> problems = TestSleepCheck.Problems(sleeps, allowed);
            Assert.Equal(3, problems.Count);
            Assert.StartsWith(file + ":3: ", problems[0], StringComparison.Ordinal);
            Assert.StartsWith(file + ":4: ", problems[1], StringComparison.Ordinal);
            Assert.Contains("999", problems[2], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
