using SmartSeal.Cloud.Ledger;

namespace SmartSeal.Cloud.Reports;

/// <summary>Builds <see cref="QuarterlyReport"/>s (JSON, PDF, CLI) from <see cref="ReportQueries"/> and the verifier.</summary>
public sealed class QuarterlyReports(ReportQueries queries, LedgerVerifier verifier, LedgerReader reader, ReportClock clock)
{
    public static Dictionary<string, string[]> Problems(int year, int quarter)
    {
        var problems = new Dictionary<string, string[]>();
        if (year is < 2000 or > 2200)
        {
            problems["year"] = ["2000..2200"];
        }

        if (quarter is < 1 or > 4)
        {
            problems["quarter"] = ["1..4"];
        }

        return problems;
    }

    public async Task<QuarterlyReport> BuildAsync(LedgerAudience scope, int year, int quarter, CancellationToken cancellationToken = default)
    {
        (long from, long to) = clock.Quarter(year, quarter);
        (long previousFrom, long previousTo) = quarter == 1 ? clock.Quarter(year - 1, 4) : clock.Quarter(year, quarter - 1);

        IReadOnlyList<ReportSeal> seals = await queries.SealsAsync(scope, cancellationToken);
        IReadOnlyList<ReportLedgerEvent> events = await queries.LedgerEventsAsync(scope, from, to, cancellationToken);
        IReadOnlyList<ReportLedgerEvent> previousEvents = await queries.LedgerEventsAsync(scope, previousFrom, previousTo, cancellationToken);
        IReadOnlyList<(string Type, long RaisedMs)> alarms = await queries.AlarmsAsync(scope, from, to, cancellationToken);
        IReadOnlyList<ReportDecision> decisions = await queries.DecisionsAsync(scope, from, to, cancellationToken);
        IReadOnlyList<ReportDecision> previousDecisions = await queries.DecisionsAsync(scope, previousFrom, previousTo, cancellationToken);

        ILookup<string, ReportLedgerEvent> bySeal = events.ToLookup(e => e.SealId, StringComparer.Ordinal);
        ILookup<string, ReportLedgerEvent> previousBySeal = previousEvents.ToLookup(e => e.SealId, StringComparer.Ordinal);
        ILookup<string, ReportDecision> decisionsBySeal = decisions.ToLookup(d => d.SealId, StringComparer.Ordinal);
        var rows = seals.Select(s =>
        {
            List<ReportLedgerEvent> mine = bySeal[s.Id].ToList();
            int stamps = mine.Count(e => e.Kind == LedgerKinds.Stamp);
            int dispenses = mine.Count(e => e.Kind == LedgerKinds.Dispense);
            return new SealQuarter(s.Id, s.Name, s.UnitId, s.State, stamps + dispenses, stamps, dispenses,
                mine.Count(e => e.Kind == LedgerKinds.Refusal),
                decisionsBySeal[s.Id].Count(d => d.Status == "approved"), decisionsBySeal[s.Id].Count(d => d.Status == "rejected"),
                previousBySeal[s.Id].Count(e => e.Kind != LedgerKinds.Refusal));
        }).ToList();

        return new QuarterlyReport(
            year, quarter, from, to, clock.Zone.Id, scope.Actor, clock.NowMs, rows,
            events.Count(e => e.Kind != LedgerKinds.Refusal),
            previousEvents.Count(e => e.Kind != LedgerKinds.Refusal),
            events.Count(e => e.Kind == LedgerKinds.Refusal),
            previousEvents.Count(e => e.Kind == LedgerKinds.Refusal),
            Counts(events.Where(e => e.Kind == LedgerKinds.Refusal).Select(e => e.RefusalReason!)),
            alarms.Count,
            Counts(alarms.Select(a => a.Type)),
            LeadTimeStats.Of(decisions),
            LeadTimeStats.Of(previousDecisions),
            await VerifyAsync(scope, cancellationToken));
    }

    private async Task<ReportVerification> VerifyAsync(LedgerAudience scope, CancellationToken cancellationToken)
    {
        LedgerVerification result = await verifier.VerifyAsync(null, cancellationToken);
        var visible = new List<LedgerProblem>();
        foreach (LedgerProblem problem in result.Problems)
        {
            if (scope.Everything || await reader.CanReadChainAsync(scope, problem.SealId, cancellationToken))
            {
                visible.Add(problem);
            }
        }

        LedgerProblem? first = visible.FirstOrDefault();
        return new ReportVerification(visible.Count == 0, result.EntriesChecked, result.Chains, result.CheckpointsChecked, visible.Count,
            first is null ? null : $"{first.SealId} #{first.Seq}: {first.Problem}");
    }

    private static List<NamedCount> Counts(IEnumerable<string> names) =>
        names.GroupBy(n => n, StringComparer.Ordinal).Select(g => new NamedCount(g.Key, g.Count())).OrderByDescending(c => c.Count).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
}
