namespace SmartSeal.Simulators.Devices;

/// <summary>
/// Allocation counters around the firmware calls of a device's loop, measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> (so one shard thread's counters are exact).
/// One instance per scheduler thread, shared by its devices. Includes the MQTTnet transport's
/// own allocations when a message is published or received.
/// </summary>
public sealed class DeviceStepStats
{
    public long MessageBytes;
    public long Messages;
    public long ReportBytes;
    public long Reports;
    public long GnssBytes;
    public long GnssCycles;
    public long TickBytes;
    public long Ticks;

    public void Add(DeviceStepStats other)
    {
        MessageBytes += other.MessageBytes;
        Messages += other.Messages;
        ReportBytes += other.ReportBytes;
        Reports += other.Reports;
        GnssBytes += other.GnssBytes;
        GnssCycles += other.GnssCycles;
        TickBytes += other.TickBytes;
        Ticks += other.Ticks;
    }
}
