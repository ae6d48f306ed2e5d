using System.Diagnostics;
using System.Globalization;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// The time of each step of a page check, as one reason line per step ("time: OCR 1830 ms, CPU 820 ms"):
/// where a decision's seconds go, in every verdict's reasons and in the evaluation's log. The CPU time
/// (Linux: this process and its finished children, i.e. tesseract and pdftoppm) is the cost on one
/// core, whatever a busy machine does to the wall clock.
/// </summary>
internal sealed class StepTimes(List<string> reasons)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _cpu = CpuMilliseconds();

    public void Done(string step)
    {
        long cpu = CpuMilliseconds();
        reasons.Add(cpu >= 0 ? $"time: {step} {_clock.ElapsedMilliseconds} ms, CPU {cpu - _cpu} ms" : $"time: {step} {_clock.ElapsedMilliseconds} ms");
        _cpu = cpu;
        _clock.Restart();
    }

    /// <summary>utime + stime + cutime + cstime of /proc/self/stat (clock ticks of 10 ms); -1 where there is no /proc.</summary>
    internal static long CpuMilliseconds()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return -1;
        }

        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command name the state is field 3, so utime (14) .. cstime (17) are indexes 11..14.
        return Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture)) * 10;
    }
}
