using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Risk;

namespace SmartSeal.Cloud.Tests.Risk;

/// <summary>
/// The risk rules over generated histories: forty days of ordinary use (random but seeded: working
/// hours, a few stamps a day, distinct documents) with known anomalies planted in it. The analyzer
/// must flag exactly the planted ones — each with its reason — and nothing of the ordinary use.
/// </summary>
public sealed class RiskAnalyzerTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTime FirstDay = new(2026, 9, 1); // a Tuesday
    private readonly List<UseRecord> _history = [];
    private long _nextId = 1;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Ordinary_use_is_not_flagged_and_every_planted_anomaly_is_with_its_reason(int seed)
    {
        GenerateOrdinaryUse(new Random(seed), days: 40);
        long periodStart = Ms(FirstDay.AddDays(30));

        long night = Stamp("seal-a", "u-quiet", FirstDay.AddDays(31).AddHours(23.5), "chen");            // Friday 2026-10-02 23:30
        long saturday = Stamp("seal-a", "u-quiet", FirstDay.AddDays(32).AddHours(10), "chen");         // Saturday 2026-10-03 10:00
        long[] busy = Enumerable.Range(0, 20).Select(i => Stamp("seal-b", "u-busy", FirstDay.AddDays(35).AddHours(9).AddMinutes(i * 10), "wang")).ToArray();
        long[] refusals = [Refusal("seal-a", "li", FirstDay.AddDays(36).AddHours(10)), Refusal("seal-a", "li", FirstDay.AddDays(36).AddHours(10).AddMinutes(3)), Refusal("seal-a", "li", FirstDay.AddDays(36).AddHours(10).AddMinutes(6))];
        Refusal("seal-a", "zhao", FirstDay.AddDays(36).AddHours(11));
        Refusal("seal-a", "zhao", FirstDay.AddDays(36).AddHours(11).AddMinutes(30)); // two, far apart: not a burst
        long first = Stamp("seal-a", "u-quiet", FirstDay.AddDays(37).AddHours(9), "chen", document: "doc-contract-77", page: "2");
        long again = Stamp("seal-a", "u-quiet", FirstDay.AddDays(37).AddHours(15), "chen", document: "doc-contract-77", page: "2");
        long away = Stamp("seal-a", "u-quiet", FirstDay.AddDays(38).AddHours(11), "chen", lat: 31.30);

        IReadOnlyList<RiskFlag> flags = new RiskAnalyzer(new RiskOptions()).Analyze(_history, periodStart, u => u.Lat is > 31.25 ? 1234 : null);

        Assert.Equal(
            new[] { RiskKind.OutsideHours, RiskKind.OutsideHours, RiskKind.AboveUnitNorm, RiskKind.RepeatedRefusals, RiskKind.DocumentSealedTwice, RiskKind.OutsideArea }.Order(),
            flags.Select(f => f.Kind).Order());
        Assert.Contains(flags, f => f.Kind == RiskKind.OutsideHours && f.EntryIds.SequenceEqual([night]) && f.Reason.Contains("23:30", StringComparison.Ordinal) && f.Reason.Contains("outside working hours 08:00–18:00", StringComparison.Ordinal));
        Assert.Contains(flags, f => f.Kind == RiskKind.OutsideHours && f.EntryIds.SequenceEqual([saturday]) && f.Reason.Contains("not a working day", StringComparison.Ordinal));
        RiskFlag norm = flags.Single(f => f.Kind == RiskKind.AboveUnitNorm);
        Assert.Equal("u-busy", norm.UnitId);
        Assert.Subset(norm.EntryIds.ToHashSet(), busy.ToHashSet()); // the day's ordinary stamps are in it too
        Assert.Matches($@"^{norm.EntryIds.Count} stamps in unit u-busy on 2026-10-06; its norm is [0-9.]+ a day over the 30 days before$", norm.Reason);
        RiskFlag burst = flags.Single(f => f.Kind == RiskKind.RepeatedRefusals);
        Assert.Equal((refusals, "li"), (burst.EntryIds.ToArray(), burst.Actor));
        Assert.StartsWith("3 refused attempts by li within 10 min", burst.Reason);
        RiskFlag twice = flags.Single(f => f.Kind == RiskKind.DocumentSealedTwice);
        Assert.Equal([first, again], twice.EntryIds);
        Assert.Equal((away, "stamped 1234 m outside the area approved for ap-chen"), (flags.Single(f => f.Kind == RiskKind.OutsideArea).EntryIds[0], flags.Single(f => f.Kind == RiskKind.OutsideArea).Reason));
        Assert.Equal(flags.OrderByDescending(f => f.AtMs).Select(f => f.AtMs), flags.Select(f => f.AtMs)); // newest first
    }

    [Fact]
    public void The_thresholds_are_configurable()
    {
        GenerateOrdinaryUse(new Random(7), days: 40);
        long periodStart = Ms(FirstDay.AddDays(30));
        long late = Stamp("seal-a", "u-quiet", FirstDay.AddDays(31).AddHours(19), "chen"); // Friday 19:00
        Refusal("seal-a", "li", FirstDay.AddDays(31).AddHours(10));
        Refusal("seal-a", "li", FirstDay.AddDays(31).AddHours(10).AddMinutes(1));

        Assert.Empty(new RiskAnalyzer(new RiskOptions { WorkdayEnd = TimeSpan.FromHours(20) }).Analyze(_history, periodStart, _ => null));
        IReadOnlyList<RiskFlag> strict = new RiskAnalyzer(new RiskOptions { RefusalsInRow = 2 }).Analyze(_history, periodStart, _ => null);
        Assert.Equal([RiskKind.OutsideHours, RiskKind.RepeatedRefusals], strict.Select(f => f.Kind).Order());
        Assert.Equal(late, strict.Single(f => f.Kind == RiskKind.OutsideHours).EntryIds[0]);
        Assert.Contains("SmartSeal:Risk: WorkdayStart must be before WorkdayEnd", string.Join(";", new RiskOptions { WorkdayStart = TimeSpan.FromHours(19) }.Problems()));
        Assert.Contains("not a known time zone", string.Join(";", new RiskOptions { TimeZone = "Mars/Olympus" }.Problems()));
    }

    /// <summary>Working days only, 09:00–17:00, 1–3 stamps a day per unit (u-quiet on seal-a, u-busy on seal-b at 3–5), each on its own document.</summary>
    private void GenerateOrdinaryUse(Random random, int days)
    {
        for (int day = 0; day < days; day++)
        {
            DateTime date = FirstDay.AddDays(day);
            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                continue;
            }

            for (int i = random.Next(1, 4); i > 0; i--)
            {
                Stamp("seal-a", "u-quiet", date.AddHours(9).AddMinutes(random.Next(0, 8 * 60)), "chen", document: $"doc-a-{_nextId}", page: "1");
            }

            for (int i = random.Next(3, 6); i > 0; i--)
            {
                Stamp("seal-b", "u-busy", date.AddHours(9).AddMinutes(random.Next(0, 8 * 60)), "wang", document: $"doc-b-{_nextId}", page: "1");
            }
        }
    }

    private long Stamp(string seal, string unit, DateTime local, string actor, string? document = null, string? page = null, double? lat = null)
    {
        long id = _nextId++;
        _history.Add(new UseRecord(id, seal, unit, LedgerKinds.Stamp, Ms(local), actor, "ap-" + actor, document, page, lat, lat is null ? null : 121.47, 10, null));
        return id;
    }

    private long Refusal(string seal, string actor, DateTime local)
    {
        long id = _nextId++;
        _history.Add(new UseRecord(id, seal, "u-quiet", LedgerKinds.Refusal, Ms(local), actor, null, null, null, null, null, null, "no-token"));
        return id;
    }

    private static long Ms(DateTime shanghaiLocal) => new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(shanghaiLocal, DateTimeKind.Unspecified), Shanghai)).ToUnixTimeMilliseconds();
}
