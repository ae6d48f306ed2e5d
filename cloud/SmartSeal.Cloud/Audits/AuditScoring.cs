namespace SmartSeal.Cloud.Audits;

/// <summary>
/// The periodic evaluation (考核) score of each audited unit: 100 minus, for every finding against the
/// unit, its severity's points (轻微 2, 一般 5, 严重 10 by default) and, when its rectification was
/// answered after the deadline (or is unanswered past it), the overdue points (3); never below 0.
/// Units without findings score 100. Points are set in <see cref="AuditOptions"/>.
/// </summary>
public static class AuditScoring
{
    public const int Full = 100;

    public static IReadOnlyList<UnitScore> Score(IReadOnlyList<string> unitIds, IReadOnlyList<AuditFinding> findings, AuditOptions points, long nowMs)
    {
        var units = unitIds.Concat(findings.Select(f => f.UnitId)).Distinct(StringComparer.Ordinal);
        return units.Select(unit =>
        {
            var own = findings.Where(f => f.UnitId == unit).ToList();
            int minor = own.Count(f => f.Severity == FindingSeverity.Minor);
            int moderate = own.Count(f => f.Severity == FindingSeverity.Moderate);
            int severe = own.Count(f => f.Severity == FindingSeverity.Severe);
            int overdue = own.Count(f => f.Overdue(nowMs));
            int lost = minor * points.MinorPoints + moderate * points.ModeratePoints + severe * points.SeverePoints + overdue * points.OverduePoints;
            return new UnitScore(unit, Math.Max(0, Full - lost), minor, moderate, severe, overdue);
        }).ToList();
    }
}
