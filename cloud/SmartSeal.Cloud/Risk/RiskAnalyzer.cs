using System.Globalization;
using SmartSeal.Cloud.Ledger;

namespace SmartSeal.Cloud.Risk;

/// <summary>
/// Finds unusual use in a history of stamps and refusals (pure: the history and the approved areas
/// come in, flags go out, newest first). Each rule is one method; thresholds come from <see cref="RiskOptions"/>.
/// </summary>
public sealed class RiskAnalyzer(RiskOptions options)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);

    /// <param name="uses">Stamps and refusals, including the <see cref="RiskOptions.NormDays"/> before <paramref name="fromMs"/> (the norm's baseline).</param>
    /// <param name="metresOutside">How far a fix lies outside the application's approved area (null: inside, unknown, or no area).</param>
    public IReadOnlyList<RiskFlag> Analyze(IReadOnlyList<UseRecord> uses, long fromMs, Func<UseRecord, double?> metresOutside)
    {
        List<UseRecord> stamps = uses.Where(u => u.Kind == LedgerKinds.Stamp).OrderBy(u => u.AtMs).ToList();
        List<UseRecord> inPeriod = stamps.Where(u => u.AtMs >= fromMs).ToList();
        var flags = new List<RiskFlag>();
        flags.AddRange(OutsideHours(inPeriod));
        flags.AddRange(AboveUnitNorm(stamps, fromMs));
        flags.AddRange(RepeatedRefusals(uses.Where(u => u.Kind == LedgerKinds.Refusal && u.AtMs >= fromMs).OrderBy(u => u.AtMs).ToList()));
        flags.AddRange(OutsideArea(inPeriod, metresOutside));
        flags.AddRange(SealedTwice(stamps, fromMs));
        return flags.OrderByDescending(f => f.AtMs).ThenBy(f => f.Kind).ToList();
    }

    private IEnumerable<RiskFlag> OutsideHours(List<UseRecord> stamps)
    {
        foreach (UseRecord use in stamps)
        {
            DateTime local = Local(use.AtMs);
            bool workday = options.WorkingDays.Contains(local.DayOfWeek);
            if (workday && local.TimeOfDay >= options.WorkdayStart && local.TimeOfDay < options.WorkdayEnd)
            {
                continue;
            }

            string when = local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            string hours = $"{Clock(options.WorkdayStart)}–{Clock(options.WorkdayEnd)}";
            yield return Flag(RiskKind.OutsideHours, use, [use.EntryId],
                workday ? $"stamped at {when} ({options.TimeZone}), outside working hours {hours}" : $"stamped at {when} ({options.TimeZone}), on a {local.DayOfWeek}, not a working day",
                [when, hours, local.DayOfWeek.ToString()]);
        }
    }

    /// <summary>Per unit and local day: more stamps than <see cref="RiskOptions.NormFactor"/> × the unit's average over the days before.</summary>
    private IEnumerable<RiskFlag> AboveUnitNorm(List<UseRecord> stamps, long fromMs)
    {
        foreach (IGrouping<string, UseRecord> unit in stamps.Where(s => s.UnitId is not null).GroupBy(s => s.UnitId!))
        {
            Dictionary<DateOnly, List<UseRecord>> days = unit.GroupBy(s => DateOnly.FromDateTime(Local(s.AtMs))).ToDictionary(g => g.Key, g => g.ToList());
            foreach ((DateOnly day, List<UseRecord> uses) in days.Where(d => d.Value[^1].AtMs >= fromMs).OrderBy(d => d.Key))
            {
                double baseline = Enumerable.Range(1, options.NormDays).Sum(back => days.TryGetValue(day.AddDays(-back), out List<UseRecord>? earlier) ? earlier.Count : 0) / (double)options.NormDays;
                if (uses.Count < options.NormMinimumUses || uses.Count <= options.NormFactor * baseline)
                {
                    continue;
                }

                string date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                string norm = baseline.ToString("0.#", CultureInfo.InvariantCulture);
                UseRecord last = uses[^1];
                yield return new RiskFlag(RiskKind.AboveUnitNorm, last.SealId, unit.Key, null, null, last.AtMs, [.. uses.Select(u => u.EntryId)],
                    $"{uses.Count} stamps in unit {unit.Key} on {date}; its norm is {norm} a day over the {options.NormDays} days before",
                    [uses.Count.ToString(CultureInfo.InvariantCulture), date, norm, options.NormDays.ToString(CultureInfo.InvariantCulture)]);
            }
        }
    }

    /// <summary>A burst: at least <see cref="RiskOptions.RefusalsInRow"/> refusals of one person (or device) within the window; one flag per burst.</summary>
    private IEnumerable<RiskFlag> RepeatedRefusals(List<UseRecord> refusals)
    {
        foreach (IGrouping<string, UseRecord> person in refusals.GroupBy(r => r.Actor ?? "?"))
        {
            List<UseRecord> list = [.. person];
            int start = 0;
            while (start < list.Count)
            {
                int end = start;
                while (end + 1 < list.Count && list[end + 1].AtMs - list[start].AtMs <= options.RefusalWindow.TotalMilliseconds)
                {
                    end++;
                }

                int count = end - start + 1;
                if (count >= options.RefusalsInRow)
                {
                    List<UseRecord> burst = list.GetRange(start, count);
                    string minutes = options.RefusalWindow.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture);
                    string reasons = string.Join(", ", burst.Select(b => b.RefusalReason ?? "?").Distinct());
                    yield return Flag(RiskKind.RepeatedRefusals, burst[^1], [.. burst.Select(b => b.EntryId)],
                        $"{count} refused attempts by {person.Key} within {minutes} min ({reasons})",
                        [count.ToString(CultureInfo.InvariantCulture), person.Key, minutes, reasons]);
                    start = end + 1;
                }
                else
                {
                    start++;
                }
            }
        }
    }

    private static IEnumerable<RiskFlag> OutsideArea(List<UseRecord> stamps, Func<UseRecord, double?> metresOutside)
    {
        foreach (UseRecord use in stamps.Where(s => s.Lat is not null && s.Lon is not null))
        {
            if (metresOutside(use) is { } metres)
            {
                string distance = metres.ToString("0", CultureInfo.InvariantCulture);
                yield return Flag(RiskKind.OutsideArea, use, [use.EntryId], $"stamped {distance} m outside the area approved for {use.ApplicationId}", [distance, use.ApplicationId ?? "?"]);
            }
        }
    }

    /// <summary>The same page of the same document stamped more than once (the second and later stamps are flagged).</summary>
    private static IEnumerable<RiskFlag> SealedTwice(List<UseRecord> stamps, long fromMs)
    {
        foreach (IGrouping<(string, string), UseRecord> page in stamps.Where(s => s.Document is { Length: > 0 }).GroupBy(s => (s.Document!, s.Page ?? string.Empty)))
        {
            List<UseRecord> list = [.. page];
            for (int i = 1; i < list.Count; i++)
            {
                if (list[i].AtMs < fromMs)
                {
                    continue;
                }

                yield return Flag(RiskKind.DocumentSealedTwice, list[i], [list[0].EntryId, list[i].EntryId],
                    $"document {page.Key.Item1} page {page.Key.Item2} stamped again (first: entry {list[0].EntryId}, {list[0].ApplicationId})",
                    [page.Key.Item1, page.Key.Item2, list[0].EntryId.ToString(CultureInfo.InvariantCulture), list[0].ApplicationId ?? "?"]);
            }
        }
    }

    private static RiskFlag Flag(RiskKind kind, UseRecord use, IReadOnlyList<long> entries, string reason, IReadOnlyList<string> facts) =>
        new(kind, use.SealId, use.UnitId, use.Actor, use.ApplicationId, use.AtMs, entries, reason, facts);

    private DateTime Local(long ms) => TimeZoneInfo.ConvertTimeFromUtc(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime, _zone);

    private static string Clock(TimeSpan time) => time.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
