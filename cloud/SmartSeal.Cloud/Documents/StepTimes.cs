using System.Diagnostics;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// The wall-clock time of each step of a page check, as one reason line per step ("time: OCR 1830 ms"):
/// where a decision's seconds go, in every verdict's reasons and in the evaluation's log.
/// </summary>
internal sealed class StepTimes(List<string> reasons)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Done(string step)
    {
        reasons.Add($"time: {step} {_clock.ElapsedMilliseconds} ms");
        _clock.Restart();
    }
}
