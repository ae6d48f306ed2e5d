using System.Globalization;

namespace SmartSeal.EndToEnd.Tests.Fuzz;

/// <summary>
/// How long the fuzz tests run and from which seed. In the suite: 20 s in all, shared by the four
/// fuzz tests. Longer: <c>SMARTSEAL_FUZZ_SECONDS=600</c>; a failure is replayed with the seed it
/// printed: <c>SMARTSEAL_FUZZ_SEED=n</c>.
/// </summary>
public static class FuzzBudget
{
    public static readonly int TotalSeconds = int.TryParse(Environment.GetEnvironmentVariable("SMARTSEAL_FUZZ_SECONDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) && s > 0 ? s : 20;

    public static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("SMARTSEAL_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) ? seed : Environment.TickCount;

    /// <summary>This test's share of the total time.</summary>
    public static TimeSpan Share(double fraction) => TimeSpan.FromSeconds(Math.Max(1, TotalSeconds * fraction));
}
