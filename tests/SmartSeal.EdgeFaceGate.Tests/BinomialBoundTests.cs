namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>The open-set FAR's 95 % upper bound: one-sided Clopper–Pearson, checked against closed forms and a tabled value.</summary>
public class BinomialBoundTests
{
    [Theory]
    [InlineData(172)]
    [InlineData(1000)]
    [InlineData(3000)]
    public void No_event_gives_the_closed_form_near_the_rule_of_three(int trials)
    {
        double bound = BinomialBound.Upper(0, trials);

        Assert.Equal(1 - Math.Pow(0.05, 1.0 / trials), bound, 1e-9);
        Assert.InRange(bound, 2.9 / trials, 3.0 / trials);
    }

    [Fact]
    public void One_event_in_a_hundred_matches_the_tabled_bound()
    {
        // Exact one-sided 95 % bound for 1 of 100: P(X ≤ 1) = 0.05 at p ≈ 0.0466.
        Assert.Equal(0.0466, BinomialBound.Upper(1, 100), 3);
    }

    [Fact]
    public void Bound_grows_with_the_events_seen()
    {
        Assert.True(BinomialBound.Upper(0, 1000) < BinomialBound.Upper(1, 1000));
        Assert.True(BinomialBound.Upper(1, 1000) < BinomialBound.Upper(5, 1000));
        Assert.Equal(1, BinomialBound.Upper(10, 10));
    }

    [Fact]
    public void Impossible_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialBound.Upper(5, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialBound.Upper(0, 0));
    }
}
