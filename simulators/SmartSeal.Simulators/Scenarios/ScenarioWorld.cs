using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Simulators.Cloud;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Simulators.Scenarios;

/// <summary>
/// Everything a scenario runs in: the broker (embedded, so it can be restarted, or external), the
/// harness cloud, the scripted clock (starting at the host's time; the broker checks passwords
/// against it) and the device's flash.
/// </summary>
public sealed class ScenarioWorld : IDisposable
{
    private readonly bool _ownsBroker;

    public ScenarioWorld(byte[] masterKey, SimLog log, EmbeddedBroker? broker = null, BrokerEndpoint? external = null, FakeClock? clock = null)
    {
        MasterKey = masterKey;
        Log = log;
        Clock = clock ?? new FakeClock(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        if (external == null && broker == null)
        {
            broker = new EmbeddedBroker(masterKey, Clock, log);
            broker.Start();
            _ownsBroker = true;
        }

        Broker = broker;
        Endpoint = external ?? broker!.Endpoint;
        Cloud = new HarnessCloud(masterKey, Endpoint, Clock, log);
        Cloud.Start();
    }

    public byte[] MasterKey { get; }

    public SimLog Log { get; }

    public FakeClock Clock { get; }

    /// <summary>Null when the scenario runs against an external broker (then broker-restart fails).</summary>
    public EmbeddedBroker? Broker { get; }

    public BrokerEndpoint Endpoint { get; }

    public HarnessCloud Cloud { get; }

    public TrafficCounters Traffic { get; } = new();

    /// <summary>The device's flash; a folder when the scenario was given a state directory.</summary>
    public IPersistentStore CreateFlash(string deviceId, string? stateDir) =>
        stateDir == null ? new FakePersistentStore(4L << 20) : new DirectoryStore(Path.Combine(stateDir, deviceId), 4L << 20);

    public void Dispose()
    {
        Cloud.Dispose();
        if (_ownsBroker)
        {
            Broker?.Dispose();
        }
    }
}
