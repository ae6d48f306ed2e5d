namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// One-sided Clopper–Pearson upper bound of a rate seen as k events in n trials: the largest rate p for
/// which seeing k or fewer events still has probability ≥ 1 − confidence. For k = 0 it is
/// 1 − (1 − confidence)^(1/n), about 3/n at 95 % (the rule of three).
/// </summary>
public static class BinomialBound
{
    public static double Upper(int events, int trials, double confidence = 0.95)
    {
        if (trials <= 0 || events < 0 || events > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(events), $"need 0 ≤ events ≤ trials and trials > 0, got {events} of {trials}");
        }

        if (events == trials)
        {
            return 1;
        }

        double alpha = 1 - confidence;
        // P(X ≤ k) falls as p rises: bisect for the p where it equals alpha.
        double low = (double)events / trials, high = 1;
        for (int i = 0; i < 100; i++)
        {
            double mid = 0.5 * (low + high);
            if (CumulativeAtMost(events, trials, mid) > alpha)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return 0.5 * (low + high);
    }

    /// <summary>P(X ≤ k) for X ~ Binomial(n, p), summed in logs so large n does not underflow.</summary>
    private static double CumulativeAtMost(int k, int n, double p)
    {
        double logP = Math.Log(p), logQ = double.LogP1(-p), sum = 0, logChoose = 0;
        for (int i = 0; i <= k; i++)
        {
            if (i > 0)
            {
                logChoose += Math.Log(n - i + 1) - Math.Log(i);
            }

            sum += Math.Exp(logChoose + i * logP + (n - i) * logQ);
        }

        return sum;
    }
}
