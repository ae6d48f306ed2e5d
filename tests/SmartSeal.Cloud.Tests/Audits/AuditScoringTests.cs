using SmartSeal.Cloud.Audits;

namespace SmartSeal.Cloud.Tests.Audits;

/// <summary>The sample is reproducible from its seed and the score rule is the documented one.</summary>
public sealed class AuditScoringTests
{
    [Fact]
    public void The_same_seed_gives_the_same_sample_in_id_order_and_another_seed_another()
    {
        long[] ids = Enumerable.Range(1, 1000).Select(i => (long)i * 7).ToArray();
        IReadOnlyList<long> first = AuditSampler.Sample(ids, 42, 10);
        Assert.Equal(first, AuditSampler.Sample(ids.Reverse(), 42, 10));
        Assert.Equal(first.Order(), first);
        Assert.Equal(10, first.Distinct().Count());
        Assert.NotEqual(first, AuditSampler.Sample(ids, 43, 10));
        Assert.Equal(3, AuditSampler.Sample([5, 6, 7], 1, 10).Count);
    }

    [Fact]
    public void A_unit_loses_the_points_of_its_findings_and_of_late_rectification_but_never_goes_below_zero()
    {
        var points = new AuditOptions();
        AuditFinding Finding(string unit, string severity, long? deadline = null, long? answered = null, string status = FindingStatus.Closed) =>
            new(1, 1, null, unit, severity, "x", "a", 0, status, deadline is null ? null : unit, deadline, null, null, null, answered, null, 0, null, null);

        IReadOnlyList<UnitScore> scores = AuditScoring.Score(["a", "b", "c", "d"],
        [
            Finding("a", FindingSeverity.Severe), Finding("a", FindingSeverity.Minor, deadline: 100, answered: 150),
            Finding("b", FindingSeverity.Moderate, deadline: 100, status: FindingStatus.Rectifying),
            .. Enumerable.Repeat(Finding("c", FindingSeverity.Severe), 11),
        ], points, nowMs: 200);

        Assert.Equal(new UnitScore("a", 100 - 10 - 2 - 3, 1, 0, 1, 1), scores[0]);
        Assert.Equal(new UnitScore("b", 100 - 5 - 3, 0, 1, 0, 1), scores[1]);
        Assert.Equal(0, scores[2].Score);
        Assert.Equal(new UnitScore("d", 100, 0, 0, 0, 0), scores[3]);
    }
}
