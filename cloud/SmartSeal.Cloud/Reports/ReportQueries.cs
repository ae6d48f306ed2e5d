using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Reports;

/// <summary>The raw facts reports count, read within a caller's scope for a period [from, to).</summary>
public sealed class ReportQueries(Database database)
{
    /// <summary>Ledger kinds that count as a use of the seal (a stamp by a lock, a hand-out by a cabinet).</summary>
    public static readonly string[] UseKinds = [LedgerKinds.Stamp, LedgerKinds.Dispense];

    /// <summary>Seals of the caller's units (registered, any state).</summary>
    public async Task<IReadOnlyList<ReportSeal>> SealsAsync(LedgerAudience scope, CancellationToken cancellationToken = default)
    {
        var parameters = new DynamicParameters();
        string where = scope.UnitCondition(parameters, "u");
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ReportSeal>(
            $"SELECT s.id AS Id, s.name AS Name, s.unit_id AS UnitId, s.state AS State FROM seals s JOIN org_units u ON u.id = s.unit_id WHERE {where} ORDER BY s.unit_id, s.id",
            parameters)).ToList();
    }

    /// <summary>Use and refusal entries of the period (refusals with their reason).</summary>
    public async Task<IReadOnlyList<ReportLedgerEvent>> LedgerEventsAsync(LedgerAudience scope, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        var parameters = new DynamicParameters(new { fromMs, toMs, stamp = LedgerKinds.Stamp, dispense = LedgerKinds.Dispense, refusal = LedgerKinds.Refusal });
        (string join, string where) = scope.Sql(parameters);
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string SealId, string Kind, long AtMs, string Payload)>(
            $"""
            SELECT e.seal_id, e.kind, e.at_ms, CASE WHEN e.kind = @refusal THEN e.payload ELSE '' END
            FROM ledger_entries e {join}
            WHERE {where} AND e.kind IN (@stamp, @dispense, @refusal) AND e.at_ms >= @fromMs AND e.at_ms < @toMs
            """,
            parameters);
        return rows.Select(r => new ReportLedgerEvent(r.SealId, r.Kind, r.AtMs,
            r.Kind == LedgerKinds.Refusal ? LedgerCanon.Fields(r.Payload).GetValueOrDefault("reason") is { Length: > 0 } reason ? reason : "unspecified" : null)).ToList();
    }

    /// <summary>
    /// Alarms raised in the period on devices of the caller's units (sysadmin: every device,
    /// including those not assigned to a unit).
    /// </summary>
    public async Task<IReadOnlyList<(string Type, long RaisedMs)>> AlarmsAsync(LedgerAudience scope, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        var parameters = new DynamicParameters(new { fromMs, toMs });
        string where = scope.UnitCondition(parameters, "u");
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string, long)>(
            $"""
            SELECT a.type, a.raised_ms FROM alarms a
            LEFT JOIN devices d ON d.id = a.device_id LEFT JOIN org_units u ON u.id = d.org_unit
            WHERE {where} AND a.raised_ms >= @fromMs AND a.raised_ms < @toMs
            """,
            parameters)).ToList();
    }

    /// <summary>Applications for seals of the caller's units decided (approved or rejected) in the period, with their lead time.</summary>
    public async Task<IReadOnlyList<ReportDecision>> DecisionsAsync(LedgerAudience scope, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        var parameters = new DynamicParameters(new { fromMs, toMs });
        string where = scope.UnitCondition(parameters, "u");
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ReportDecision>(
            $"""
            SELECT a.seal_id AS SealId, a.status AS Status, a.decided_ms AS DecidedMs, a.lead_time_ms AS LeadTimeMs
            FROM applications a JOIN seals s ON s.id = a.seal_id JOIN org_units u ON u.id = s.unit_id
            WHERE {where} AND a.lead_time_ms IS NOT NULL AND a.decided_ms >= @fromMs AND a.decided_ms < @toMs
            """,
            parameters)).ToList();
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
