using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// The raw facts reports count, read within a caller's scope for a period [from, to), asked of
/// their owners (seals, ledger events, alarms, decided applications) and joined by id here.
/// </summary>
public sealed class ReportQueries(SealRegistry seals, LedgerReader ledger, ILedgerChains chains, DeviceRepository devices, AlarmService alarms, ApplicationDirectory applications)
{
    /// <summary>Ledger kinds that count as a use of the seal (a stamp by a lock, a hand-out by a cabinet).</summary>
    public static readonly string[] UseKinds = [LedgerKinds.Stamp, LedgerKinds.Dispense];

    /// <summary>Seals of the caller's units (registered, any state).</summary>
    public async Task<IReadOnlyList<ReportSeal>> SealsAsync(LedgerAudience scope, CancellationToken cancellationToken = default) =>
        (await seals.ListAsync(scope.AsReader(), null, null, cancellationToken)).Select(s => new ReportSeal(s.Id, s.Name, s.UnitId, Kebab.Of(s.State))).ToList();

    /// <summary>Use and refusal entries of the period (refusals with their reason).</summary>
    public async Task<IReadOnlyList<ReportLedgerEvent>> LedgerEventsAsync(LedgerAudience scope, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string>? readable = await chains.ChainsAsync(scope, null, cancellationToken);
        IReadOnlyList<LedgerEvent> events = await ledger.EventsAsync(readable, [LedgerKinds.Stamp, LedgerKinds.Dispense, LedgerKinds.Refusal], LedgerKinds.Refusal, fromMs, toMs, cancellationToken);
        return events.Select(e => new ReportLedgerEvent(e.SealId, e.Kind, e.AtMs,
            e.Kind == LedgerKinds.Refusal ? LedgerCanon.Fields(e.Payload).GetValueOrDefault("reason") is { Length: > 0 } reason ? reason : "unspecified" : null)).ToList();
    }

    /// <summary>
    /// Alarms raised in the period on devices of the caller's units (sysadmin: every device,
    /// including those not assigned to a unit).
    /// </summary>
    public async Task<IReadOnlyList<(string Type, long RaisedMs)>> AlarmsAsync(LedgerAudience scope, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string>? deviceIds = scope.Everything ? null : await devices.IdsInSubtreesAsync(scope.UnitIds, withUnassigned: false, cancellationToken);
        return (await alarms.RaisedAsync(deviceIds, fromMs, toMs, cancellationToken)).Select(a => (a.Type, a.RaisedMs)).ToList();
    }

    /// <summary>Applications for seals of the caller's units decided (approved or rejected) in the period, with their lead time.</summary>
    public async Task<IReadOnlyList<ReportDecision>> DecisionsAsync(LedgerAudience scope, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        IEnumerable<string> sealIds = (await seals.ListAsync(scope.AsReader(), null, null, cancellationToken)).Select(s => s.Id);
        return (await applications.DecidedForSealsAsync(sealIds, fromMs, toMs, cancellationToken)).Select(d => new ReportDecision(d.SealId, d.Status, d.DecidedMs, d.LeadTimeMs)).ToList();
    }
}

public sealed record ReportSeal(string Id, string Name, string UnitId, string State);

public sealed record ReportLedgerEvent(string SealId, string Kind, long AtMs, string? RefusalReason);

public sealed record ReportDecision(string SealId, string Status, long DecidedMs, long LeadTimeMs);

/// <summary>Lead times of decided applications (ms): nearest-rank median and 90th percentile.</summary>
public sealed record LeadTimeStats(int Decided, int Approved, int Rejected, long? MeanMs, long? MedianMs, long? P90Ms, long? MaxMs)
{
    public static LeadTimeStats Of(IEnumerable<ReportDecision> decisions)
    {
        List<ReportDecision> all = decisions.ToList();
        List<long> times = all.Select(d => d.LeadTimeMs).Order().ToList();
        if (times.Count == 0)
        {
            return new LeadTimeStats(0, 0, 0, null, null, null, null);
        }

        long Percentile(double p) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(p * times.Count) - 1)];
        return new LeadTimeStats(times.Count, all.Count(d => d.Status == "approved"), all.Count(d => d.Status == "rejected"),
            (long)times.Average(), Percentile(0.5), Percentile(0.9), times[^1]);
    }
}
