using SmartSeal.Firmware.Cabinet;
using SmartSeal.Simulators.Cloud;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Gnss;
using SmartSeal.Simulators.Host;
using SmartSeal.Simulators.Tui;
using Spectre.Console;

namespace SmartSeal.Simulators.Cli;

public sealed class LiveDeviceOptions
{
    public required DeviceKind Kind { get; init; }

    public required string Broker { get; init; }

    public string? DeviceId { get; init; }

    public required byte[] MasterKey { get; init; }

    public string? Provision { get; init; }

    public string? StateDir { get; init; }

    public bool Tui { get; init; }

    public double DurationSeconds { get; init; }

    public int Compartments { get; init; }

    /// <summary>Loopback port of the tester's HTTP control (<see cref="DeviceControlServer"/>); 0 = none.</summary>
    public int ControlPort { get; init; }

    /// <summary>Centre of the lock's synthetic walk (degrees); null = a spot in Shanghai.</summary>
    public double? Latitude { get; init; }

    public double? Longitude { get; init; }

    public required SimLog Log { get; init; }
}

/// <summary>
/// lock/cabinet without a scenario: one device on real time against a broker, running until
/// Ctrl+C or --duration; with the embedded broker the harness cloud runs too (acks events).
/// The lock walks a synthetic route so it reports positions.
/// </summary>
public static class LiveDeviceCommand
{
    public static int Run(LiveDeviceOptions o)
    {
        DeviceProvisioning identity;
        try
        {
            identity = o.Provision != null
                ? DeviceProvisioning.FromFile(o.Provision)
                : DeviceProvisioning.FromMaster(o.MasterKey, o.DeviceId ?? (o.Kind == DeviceKind.Lock ? "lock-0001" : "cab-0001"));
        }
        catch (Exception e) when (e is SmartSeal.Protocol.ProtocolException or IOException)
        {
            // A missing or malformed device.json is the user's to fix: say which and why, no stack trace.
            Console.Error.WriteLine($"error: {o.Provision}: {e.Message}");
            return 2;
        }

        var clock = new HostClock();
        EmbeddedBroker? broker = null;
        BrokerEndpoint endpoint;
        string brokerText = o.Broker == "embedded" && identity.Broker != null ? identity.Broker : o.Broker;
        if (brokerText == "embedded")
        {
            broker = new EmbeddedBroker(o.MasterKey, clock, o.Log);
            broker.Start();
            endpoint = broker.Endpoint;
        }
        else
        {
            endpoint = BrokerEndpoint.Parse(brokerText);
        }

        HarnessCloud? cloud = null;
        if (broker != null)
        {
            cloud = new HarnessCloud(o.MasterKey, endpoint, clock, o.Log);
            if (o.Provision != null)
            {
                cloud.RegisterKey(identity.DeviceId, identity.Key);
            }

            cloud.Start();
        }

        var options = new DeviceHostOptions
        {
            Broker = endpoint, Clock = clock, Traffic = new TrafficCounters(), Log = o.Log, Tap = true, ScenePhotos = true,
            Flash = o.StateDir != null ? new DirectoryStore(Path.Combine(o.StateDir, identity.DeviceId), 4L << 20) : new SmartSeal.Firmware.Hardware.Fakes.FakePersistentStore(4L << 20),
        };
        SimulatedDevice device = o.Kind == DeviceKind.Lock
            ? new SimulatedLock(identity, options)
            {
                Gnss = o.Latitude is { } lat && o.Longitude is { } lon ? new SyntheticRoute(lat, lon, 20, () => clock.UtcNowMs) : SyntheticRoute.ForDevice(0, () => clock.UtcNowMs),
            }
            : new SimulatedCabinet(identity, options, o.Compartments, new CompartmentSettings());
        if (device is SimulatedCabinet cabinet && o.StateDir != null)
        {
            cabinet.KeepTagsIn(Path.Combine(o.StateDir, identity.DeviceId + ".tags"));
        }

        device.PowerOn("power-on");
        using DeviceControlServer? control = o.ControlPort > 0 ? new DeviceControlServer(device, o.ControlPort) : null;

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        if (o.DurationSeconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(o.DurationSeconds));
        }

        var view = new DeviceView(o.Log);
        void Loop(Action? render)
        {
            while (!stop.IsCancellationRequested)
            {
                control?.RunPending();
                device.Step();
                render?.Invoke();
                Thread.Sleep(control == null ? 250 : 50);
            }
        }

        if (o.Tui)
        {
            AnsiConsole.Live(view.Render(new[] { device.Snapshot() }, identity.DeviceId)).Start(ctx => Loop(() => ctx.UpdateTarget(view.Render(new[] { device.Snapshot() }, $"{identity.DeviceId} on {endpoint}"))));
        }
        else
        {
            Console.WriteLine($"{identity.DeviceId} running against {endpoint}; Ctrl+C to stop");
            Loop(null);
        }

        device.Shutdown();
        cloud?.Dispose();
        broker?.Dispose();
        DeviceSnapshot s = device.Snapshot();
        Console.WriteLine($"{s.DeviceId}: boots {s.BootCount}, outbox pending {s.PendingOutbox}, {s.Actuators}");
        return 0;
    }
}
