using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Gnss;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Lock;
using SmartSeal.Simulators.Gnss;

namespace SmartSeal.Simulators.Devices;

/// <summary>
/// A portable seal lock: the real <see cref="LockController"/> on fake bolt, button, stamp switch,
/// tamper loop and camera, with GNSS fed from a recorded or synthetic route. The hardware objects
/// outlive power cuts (the physical lock stays); the firmware is rebuilt from flash on each boot.
/// </summary>
public sealed class SimulatedLock : SimulatedDevice
{
    private LockController? _controller;
    private readonly List<byte[]> _due = new();
    private readonly Action<byte[]> _collect;
    private GnssFeed? _gnss;

    public SimulatedLock(DeviceProvisioning identity, DeviceHostOptions options, LockSettings? settings = null)
        : base(identity, options)
    {
        Settings = settings ?? new LockSettings();
        _collect = _due.Add;
        // 640x480 as the lock's board sets its VC0706: the page must stay legible for the document check.
        Camera = new SceneCamera(identity.DeviceId, page: true, SceneCamera.Vga, () => options.Clock.UtcNowMs, options.ScenePhotos);
    }

    public override DeviceKind Kind => DeviceKind.Lock;

    public LockSettings Settings { get; }

    public FakeLockActuator Bolt { get; } = new();

    public FakeSwitch Button { get; } = new("button");

    public FakeSwitch StampSwitch { get; } = new("stamp");

    public FakeSwitch Tamper { get; } = new("tamper-case");

    /// <summary>Renders the page under the lock (a JPEG), or returns the photo held under it.</summary>
    public SceneCamera Camera { get; }

    public FakeIndicator Indicator { get; } = new();

    /// <summary>Where the GNSS bytes come from (null: no receiver output, no fix).</summary>
    public IGnssSource? Gnss { get; set; }

    public LockController? Controller => _controller;

    public GnssFeed? GnssFeed => _gnss;

    public LockState? State => _controller?.State;

    public void PressButton() => Guard(() =>
    {
        Camera.TurnPage();
        Button.Set(true, Clock.UptimeMs);
        Button.Set(false, Clock.UptimeMs);
    });

    /// <summary>The seal comes down on the paper and up again.</summary>
    public void Stamp() => Guard(() =>
    {
        Camera.PressSeal();
        StampSwitch.Set(true, Clock.UptimeMs);
        StampSwitch.Set(false, Clock.UptimeMs);
    });

    /// <summary>A page (as a JPEG) held under the lock: its camera's next capture returns it.</summary>
    public void HoldInFrontOfCamera(byte[] jpeg) => Camera.QueuePhoto(jpeg);

    public void SetTamper(bool active) => Guard(() => Tamper.Set(active, Clock.UptimeMs));

    public override DeviceSnapshot Snapshot()
    {
        LockState? state = PoweredOn ? _controller?.State : null;
        var (events, refusals, alarms) = TapReadings();
        return new DeviceSnapshot(
            DeviceId,
            Kind,
            PoweredOn,
            state?.Mode.ToString() ?? "off",
            PoweredOn ? Link.Phase.ToString() : "-",
            "bolt " + (Bolt.IsUnlocked ? "OPEN" : "locked") + $" ({Bolt.UnlockCount} openings)",
            state?.Remaining,
            PoweredOn ? Queue.Count : 0,
            BootCount,
            events,
            refusals,
            alarms);
    }

    protected override void CreateController(ICloudLink link, CommandInbox inbox)
    {
        var positions = new PositionReporter(new PositionReporterSettings());
        _gnss = new GnssFeed(positions, Outbox, Clock);
        var hardware = new LockHardware
        {
            Bolt = Bolt, Button = Button, StampSwitch = StampSwitch, Tamper = Tamper, Camera = Camera,
            Indicator = Indicator, Clock = Clock, Link = link, Flash = Flash,
        };
        _controller = new LockController(Identity, hardware, Settings, Outbox, inbox, positions);
    }

    protected override void BootController(string firmware, string resetReason, long bootCount)
    {
        _controller!.Boot(firmware, resetReason, bootCount);
    }

    protected override void TickController()
    {
        DeviceStepStats? stats = Stats;
        if (stats == null)
        {
            if (Gnss != null)
            {
                _gnss!.Pull(Gnss, Options.Clock.UtcNowMs);
            }

            _controller!.Tick();
            return;
        }

        if (Gnss != null)
        {
            // The world's side (synthesising NMEA) is not the device's: collect first, measure the feed.
            _due.Clear();
            Gnss.ReadDue(Options.Clock.UtcNowMs, _collect);
            long fixes = _gnss!.Fixes;
            long reports = _gnss.Reports;
            long before = GC.GetAllocatedBytesForCurrentThread();
            foreach (byte[] cycle in _due)
            {
                _gnss.Feed(cycle);
            }

            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (_gnss.Reports > reports)
            {
                stats.ReportBytes += bytes;
                stats.Reports += _gnss.Reports - reports;
            }
            else if (_gnss.Fixes > fixes)
            {
                stats.GnssBytes += bytes;
                stats.GnssCycles += _gnss.Fixes - fixes;
            }
        }

        long tickStart = GC.GetAllocatedBytesForCurrentThread();
        _controller!.Tick();
        stats.TickBytes += GC.GetAllocatedBytesForCurrentThread() - tickStart;
        stats.Ticks++;
    }

    protected override void StopController()
    {
        _controller?.Stop();
    }

    protected override void OnPowerLost()
    {
        Bolt.PowerLoss();
        _controller = null;
        _gnss = null;
    }
}
