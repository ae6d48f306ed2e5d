using System.Diagnostics;

namespace SmartSeal.CloudBench;

/// <summary>Offers events at a steady rate across the devices (round robin), publishes pipelined, never waits for the cloud.</summary>
public static class Load
{
    private const int MaxInFlight = 20_000;
    private static long _published;
    private static long _inFlight;
    private static int _next;

    public static long Published => Interlocked.Read(ref _published);

    public static async Task RunAsync(IReadOnlyList<BenchDevice> devices, int rate, TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        long sent = 0;
        while (stopwatch.Elapsed < duration)
        {
            long due = (long)(stopwatch.Elapsed.TotalSeconds * rate);
            while (sent < due && Interlocked.Read(ref _inFlight) < MaxInFlight)
            {
                BenchDevice device = devices[(int)((uint)Interlocked.Increment(ref _next) % devices.Count)];
                Interlocked.Increment(ref _inFlight);
                _ = PublishAsync(device);
                sent++;
            }

            await Task.Delay(5);
        }
    }

    /// <summary>
    /// Waits for the publishes still awaiting their PUBACK when a phase ends, so the phase's count of
    /// published events includes them (they are stored too; without this "stored" could exceed "offered").
    /// </summary>
    public static async Task SettleAsync(TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (Interlocked.Read(ref _inFlight) > 0 && stopwatch.Elapsed < timeout)
        {
            await Task.Delay(20);
        }
    }

    public static async Task WaitForAcksAsync(Latencies latencies, long expected, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (latencies.AckedCount < expected && stopwatch.Elapsed < timeout)
        {
            await Task.Delay(100);
        }
    }

    private static async Task PublishAsync(BenchDevice device)
    {
        try
        {
            await device.PublishEventAsync();
            Interlocked.Increment(ref _published);
        }
        catch (Exception)
        {
            // Counted as not published; the summary shows published vs persisted.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
