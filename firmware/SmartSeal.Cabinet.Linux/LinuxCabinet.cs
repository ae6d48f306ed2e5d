using SmartSeal.Cabinet.Linux.Hardware;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Simulators.Devices;

namespace SmartSeal.Cabinet.Linux;

/// <summary>
/// The cabinet firmware core on a Linux board. The simulators' device host supplies the link
/// stack (MQTTnet transport, <c>CloudLink</c>, offline queue, outbox, command inbox over the state
/// folder) and the loop step; this class only puts the real board under the controller.
/// </summary>
public sealed class LinuxCabinet(DeviceProvisioning identity, DeviceHostOptions options, LinuxCabinetBoard board, CompartmentSettings settings)
    : SimulatedDevice(identity, options)
{
    private CabinetController? _controller;

    public override DeviceKind Kind => DeviceKind.Cabinet;

    public LinuxCabinetBoard Board => board;

    public CabinetController? Controller => _controller;

    /// <summary>One pass of the main loop: sample doors and tamper loop, then messages, link and the controller's timers.</summary>
    public void Run(long uptimeMs)
    {
        Guard(() => board.Poll(uptimeMs));
        Step();
    }

    public override DeviceSnapshot Snapshot()
    {
        CompartmentState[] states = _controller?.Compartments ?? [];
        var (events, refusals, alarms) = TapReadings();
        string latches = string.Join(" ", board.Compartments.Select(c => $"{c.Number}:{(c.Latch.IsUnlocked ? "OPEN" : "shut")}{(c.Door.IsActive ? "/door-open" : string.Empty)}"));
        return new DeviceSnapshot(DeviceId, Kind, PoweredOn, string.Join(" ", states.Select(s => $"{s.Number}:{s.Mode}")), PoweredOn ? Link.Phase.ToString() : "-", latches, null, PoweredOn ? Queue.Count : 0, BootCount, events, refusals, alarms);
    }

    protected override void CreateController(ICloudLink link, CommandInbox inbox)
    {
        var hardware = new CabinetHardware
        {
            Compartments = board.Compartments, Camera = board.Camera, ClipRecorder = board.Clips, Indicator = board.Indicator, Tamper = board.Tamper,
            Clock = Clock, Link = link, Flash = Flash,
        };
        _controller = new CabinetController(Identity, hardware, settings, Outbox, inbox);
    }

    protected override void BootController(string firmware, string resetReason, long bootCount) => _controller!.Boot(firmware, resetReason, bootCount);

    protected override void TickController() => _controller!.Tick();

    protected override void StopController() => _controller?.Stop();

    /// <summary>Real latches are fail-secure on their own; the board locks them again on dispose.</summary>
    protected override void OnPowerLost() => _controller = null;
}
