namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Another process's resident memory from <c>/proc/{pid}/status</c>: now (VmRSS) and the peak
/// since the last <see cref="ResetPeak"/> (VmHWM), so a test sees the worst moment of an attack
/// without sampling.
/// </summary>
public static class ProcessMemory
{
    public static long ResidentBytes(int pid) => Field(pid, "VmRSS:");

    public static long PeakResidentBytes(int pid) => Field(pid, "VmHWM:");

    /// <summary>Sets the peak back to the current resident size (Linux <c>clear_refs</c> 5).</summary>
    public static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    private static long Field(int pid, string name)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
