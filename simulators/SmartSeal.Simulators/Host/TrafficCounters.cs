namespace SmartSeal.Simulators.Host;

/// <summary>
/// MQTT messages sent and received by every transport of one run. The scenario runner waits for
/// these to stop moving before it checks expectations; the fleet reports them.
/// </summary>
public sealed class TrafficCounters
{
    private long _published;
    private long _received;
    private long _connects;
    private long _connectFailures;
    private long _drops;

    public long Published => Interlocked.Read(ref _published);

    public long Received => Interlocked.Read(ref _received);

    public long Connects => Interlocked.Read(ref _connects);

    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    public long Drops => Interlocked.Read(ref _drops);

    /// <summary>Changes whenever anything moved; compare two readings to see quiet.</summary>
    public long Activity => Published + Received + Connects + ConnectFailures + Drops;

    public void CountPublished() => Interlocked.Increment(ref _published);

    public void CountReceived() => Interlocked.Increment(ref _received);

    public void CountConnect() => Interlocked.Increment(ref _connects);

    public void CountConnectFailure() => Interlocked.Increment(ref _connectFailures);

    public void CountDrop() => Interlocked.Increment(ref _drops);
}
