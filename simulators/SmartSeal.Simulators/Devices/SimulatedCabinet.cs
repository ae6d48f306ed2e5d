using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;

namespace SmartSeal.Simulators.Devices;

/// <summary>
/// A seal cabinet: the real <see cref="CabinetController"/> on fake latches, door contacts and
/// RFID readers (one per compartment), a camera, a tamper loop. Hardware survives power cuts; the
/// firmware is rebuilt from flash on each boot.
/// </summary>
public sealed class SimulatedCabinet : SimulatedDevice
{
    private CabinetController? _controller;
    private string? _tagsFile;

    public SimulatedCabinet(DeviceProvisioning identity, DeviceHostOptions options, int compartments, CompartmentSettings? settings = null)
        : base(identity, options)
    {
        Settings = settings ?? new CompartmentSettings();
        Latches = Enumerable.Range(0, compartments).Select(_ => new FakeLockActuator()).ToArray();
        Doors = Enumerable.Range(1, compartments).Select(n => new FakeSwitch("door-" + n)).ToArray();
        Readers = Enumerable.Range(0, compartments).Select(_ => new FakeSealTagReader()).ToArray();
        // 320x240 as the cabinet's board sets its VC0706: legible hand-over evidence at a few KB.
        Camera = new SceneCamera(identity.DeviceId, page: false, SceneCamera.Qvga, () => options.Clock.UtcNowMs, options.ScenePhotos);
    }

    public override DeviceKind Kind => DeviceKind.Cabinet;

    public CompartmentSettings Settings { get; }

    public FakeLockActuator[] Latches { get; }

    public FakeSwitch[] Doors { get; }

    public FakeSealTagReader[] Readers { get; }

    public FakeSwitch Tamper { get; } = new("tamper-case");

    /// <summary>Renders the compartment bay last opened (a JPEG).</summary>
    public SceneCamera Camera { get; }

    public FakeIndicator Indicator { get; } = new();

    public CabinetController? Controller => _controller;

    public CompartmentState[] Compartments => _controller?.Compartments ?? Array.Empty<CompartmentState>();

    public void SetDoor(int compartment, bool open) => Guard(() =>
    {
        Camera.Compartment = compartment;
        Doors[compartment - 1].Set(open, Clock.UptimeMs);
    });

    /// <summary>What the compartment's reader sees: a tag id, <see cref="TagReading.None"/> or <see cref="TagReading.Unreadable"/>.</summary>
    public void SetTag(int compartment, string tag)
    {
        Readers[compartment - 1].Present = tag;
        if (_tagsFile != null)
        {
            File.WriteAllLines(_tagsFile, Readers.Select((r, i) => $"{i + 1}={r.Present}"));
        }
    }

    /// <summary>
    /// Keeps what lies in the compartments in <paramref name="file"/> across simulator restarts, as
    /// the physical cabinet keeps its seals through a power cut (else a restart would look like
    /// every seal taken out without a dispense). Loads it now if it exists.
    /// </summary>
    public void KeepTagsIn(string file)
    {
        if (File.Exists(file))
        {
            foreach (string line in File.ReadAllLines(file))
            {
                string[] parts = line.Split('=', 2);
                if (parts.Length == 2 && int.TryParse(parts[0], out int n) && n >= 1 && n <= Readers.Length)
                {
                    Readers[n - 1].Present = parts[1];
                }
            }
        }

        _tagsFile = file;
    }

    public void SetTamper(bool active) => Guard(() => Tamper.Set(active, Clock.UptimeMs));

    public void Register(int compartment, string sealId, string tag) => Guard(() => _controller!.Register(compartment, sealId, tag));

    public override DeviceSnapshot Snapshot()
    {
        CompartmentState[] states = PoweredOn ? Compartments : Array.Empty<CompartmentState>();
        var (events, refusals, alarms) = TapReadings();
        string modes = states.Length == 0 ? "off" : string.Join(" ", states.Select(s => $"{s.Number}:{s.Mode}"));
        string latches = string.Join(" ", Latches.Select((l, i) => $"{i + 1}:{(l.IsUnlocked ? "OPEN" : "shut")}{(Doors[i].IsActive ? "/door-open" : string.Empty)}"));
        string enabled = PoweredOn && _controller != null && !_controller.Enabled ? " (disabled)" : string.Empty;
        return new DeviceSnapshot(DeviceId, Kind, PoweredOn, modes + enabled, PoweredOn ? Link.Phase.ToString() : "-", latches, null, PoweredOn ? Queue.Count : 0, BootCount, events, refusals, alarms);
    }

    protected override void CreateController(ICloudLink link, CommandInbox inbox)
    {
        var compartments = Enumerable.Range(0, Latches.Length).Select(i => new CompartmentHardware { Number = i + 1, Latch = Latches[i], Door = Doors[i], TagReader = Readers[i] }).ToArray();
        var hardware = new CabinetHardware { Compartments = compartments, Camera = Camera, Indicator = Indicator, Tamper = Tamper, Clock = Clock, Link = link, Flash = Flash };
        _controller = new CabinetController(Identity, hardware, Settings, Outbox, inbox);
    }

    protected override void BootController(string firmware, string resetReason, long bootCount)
    {
        _controller!.Boot(firmware, resetReason, bootCount);
    }

    protected override void TickController()
    {
        _controller!.Tick();
    }

    protected override void StopController()
    {
        _controller?.Stop();
    }

    protected override void OnPowerLost()
    {
        foreach (FakeLockActuator latch in Latches)
        {
            latch.PowerLoss();
        }

        _controller = null;
    }
}
