using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Host;
using SmartSeal.Simulators.Scenarios;

namespace SmartSeal.Simulators.Tests;

/// <summary>
/// An in-process MQTTnet broker on a free loopback port with the SAS password and per-device
/// topic ACL checks (<see cref="EmbeddedBroker"/>), shared by the tests of a class, and the log
/// every simulator part writes to. Its clock is the scenarios' scripted clock, so passwords are
/// checked against the time the devices see.
/// </summary>
public sealed class BrokerFixture : IDisposable
{
    public BrokerFixture()
    {
        Broker = new EmbeddedBroker(MasterKey, Clock, Log);
        Broker.Start();
    }

    public byte[] MasterKey { get; } = DeviceProvisioning.DemoMasterKey;

    public FakeClock Clock { get; } = new(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public SimLog Log { get; } = new();

    public EmbeddedBroker Broker { get; }

    public ScenarioWorld NewWorld() => new(MasterKey, Log, Broker, clock: Clock);

    public void Dispose() => Broker.Dispose();
}

/// <summary>
/// Base of the simulator tests: fails a test when anything (broker, cloud, devices) logged an
/// error while it ran.
/// </summary>
public abstract class SimulatorTest : IClassFixture<BrokerFixture>, IDisposable
{
    private readonly int _errorsBefore;
    private readonly List<SimLogEntry> _errors = new();

    protected SimulatorTest(BrokerFixture fixture)
    {
        Fixture = fixture;
        _errorsBefore = fixture.Log.ErrorCount;
        fixture.Log.Logged += OnLogged;
    }

    protected BrokerFixture Fixture { get; }

    public void Dispose()
    {
        Fixture.Log.Logged -= OnLogged;
        int errors = Fixture.Log.ErrorCount - _errorsBefore;
        Assert.True(errors == 0, $"{errors} error(s) logged: " + string.Join(" | ", _errors.Select(e => e.Source + ": " + e.Message)));
    }

    private void OnLogged(SimLogEntry entry)
    {
        if (entry.Level == SimLogLevel.Error)
        {
            lock (_errors)
            {
                _errors.Add(entry);
            }
        }
    }
}
