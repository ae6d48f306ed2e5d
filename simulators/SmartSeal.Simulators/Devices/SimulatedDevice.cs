using System.Text;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Storage;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Simulators.Devices;

/// <summary>
/// What every simulated device shares: the firmware core's link stack (MQTTnet transport,
/// <see cref="CloudLink"/>, <see cref="OfflineQueue"/>, <see cref="Outbox"/>,
/// <see cref="CommandInbox"/>) composed over the device's flash, the loop step (deliver received
/// messages, poll the link, tick the controller) and the faults: network drop and power cut.
/// A power cut throws everything in RAM away; the next power-on rebuilds it from flash alone.
/// Not thread-safe: one scheduler thread drives a device.
/// </summary>
public abstract class SimulatedDevice
{
    private const string BootCountRecord = "simboot";
    private OutgoingTap? _tap;

    protected SimulatedDevice(DeviceProvisioning identity, DeviceHostOptions options)
    {
        Provisioning = identity;
        Options = options;
        Identity = new DeviceIdentity(identity.DeviceId, identity.Key, identity.KeyVersion);
        Flash = options.Flash as PowerCutStore ?? new PowerCutStore(options.Flash);
    }

    public DeviceProvisioning Provisioning { get; }

    public DeviceIdentity Identity { get; }

    public string DeviceId => Identity.DeviceId;

    public abstract DeviceKind Kind { get; }

    protected DeviceHostOptions Options { get; }

    /// <summary>The flash with power-cut injection in front of it.</summary>
    public PowerCutStore Flash { get; }

    public NetworkGate Network { get; } = new();

    public bool PoweredOn { get; private set; }

    public long BootCount { get; private set; }

    /// <summary>Power cuts so far (scripted and injected).</summary>
    public int PowerCuts { get; private set; }

    public CloudLink Link { get; private set; } = null!;

    public MqttNetTransport Transport { get; private set; } = null!;

    public OfflineQueue Queue { get; private set; } = null!;

    public Outbox Outbox { get; private set; } = null!;

    public IClock Clock { get; private set; } = null!;

    /// <summary>Set when an injected power cut hit; the next <see cref="Step"/> boots again.</summary>
    public bool RebootPending { get; private set; }

    /// <summary>Builds the firmware from flash and boots it (first start or after a power cut).</summary>
    public void PowerOn(string resetReason)
    {
        if (PoweredOn)
        {
            return;
        }

        Flash.RestorePower();
        RebootPending = false;
        Clock = new BootClock(Options.Clock);
        try
        {
            BootCount = ReadBootCount() + 1;
            Flash.Write(BootCountRecord, Encoding.ASCII.GetBytes(BootCount.ToString()));
            Transport = new MqttNetTransport(Options.Broker, Network, Options.Traffic, Options.Log);
            Link = new CloudLink(Identity, Transport, Clock, Options.LinkSettings, Options.Firmware);
            Queue = new OfflineQueue(Flash, Options.QueueRecords, Options.QueueCriticalReserve);
            Queue.Load();
            ICloudLink link = Link;
            if (Options.Tap)
            {
                _tap = new OutgoingTap(Link);
                link = _tap;
            }

            Outbox = new Outbox(Identity, Queue, link, Clock);
            var inbox = new CommandInbox(Identity, Flash, Clock, 5_000);
            PoweredOn = true;
            CreateController(link, inbox);
            BootController(Options.Firmware, resetReason, BootCount);
        }
        catch (PowerCutException)
        {
            PowerCut(injected: true);
        }
    }

    /// <summary>
    /// The power fails now: the controller is dropped without shutdown, the socket dies (the
    /// broker publishes the last will), whatever was only in RAM is gone. Flash stays.
    /// </summary>
    public void PowerCut(bool injected = false)
    {
        if (!PoweredOn && !injected)
        {
            return;
        }

        PowerCuts++;
        PoweredOn = false;
        RebootPending = injected;
        try
        {
            StopController();
        }
        catch (Exception e)
        {
            Options.Log.Warning(DeviceId, "stopping the controller after a power cut: " + e.Message);
        }

        Transport?.Abandon();
        OnPowerLost();
    }

    /// <summary>One pass of the main loop: received messages, the link, the controller's timers.</summary>
    public void Step()
    {
        if (!PoweredOn)
        {
            if (RebootPending)
            {
                PowerOn("power-loss");
            }

            return;
        }

        Guard(() =>
        {
            Pump();
            Link.Poll();
            Pump();
            TickController();
        });
    }

    /// <summary>Allocation counters of the scheduler thread driving this device (null: not measured).</summary>
    public DeviceStepStats? Stats { get; set; }

    private void Pump()
    {
        if (Stats == null)
        {
            Transport.Pump();
            return;
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int delivered = Transport.Pump();
        if (delivered > 0)
        {
            Stats.MessageBytes += GC.GetAllocatedBytesForCurrentThread() - before;
            Stats.Messages += delivered;
        }
    }

    /// <summary>Runs a hardware action (a press, a door) so an injected power cut inside it is a power cut, not a crash.</summary>
    public void Guard(Action action)
    {
        if (!PoweredOn)
        {
            return;
        }

        try
        {
            action();
        }
        catch (PowerCutException)
        {
            PowerCut(injected: true);
        }
    }

    /// <summary>Leaves the broker cleanly (simulator shutdown).</summary>
    public void Shutdown()
    {
        if (!PoweredOn)
        {
            return;
        }

        Guard(() => Link.Disconnect("shutdown"));
        StopController();
        Transport.Dispose();
        PoweredOn = false;
    }

    public abstract DeviceSnapshot Snapshot();

    protected (string[] Events, string[] Refusals, string[] Alarms) TapReadings() =>
        _tap?.Read() ?? (Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>());

    protected abstract void CreateController(ICloudLink link, CommandInbox inbox);

    protected abstract void BootController(string firmware, string resetReason, long bootCount);

    protected abstract void TickController();

    protected abstract void StopController();

    /// <summary>Fail-secure actuators spring back; volatile hardware state resets.</summary>
    protected abstract void OnPowerLost();

    private long ReadBootCount()
    {
        byte[]? data = Flash.Read(BootCountRecord);
        return data != null && long.TryParse(Encoding.ASCII.GetString(data), out long count) ? count : 0;
    }
}
