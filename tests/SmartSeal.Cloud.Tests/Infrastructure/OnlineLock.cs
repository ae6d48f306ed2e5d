using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Gnss;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>
/// A portable lock running the real firmware (the simulators' <see cref="SimulatedLock"/>) on its
/// own <see cref="DeviceLoop"/>, connected to a test cloud's broker — for end-to-end tests outside
/// this project too (the portal's mission test). Dispose stops the loop.
/// </summary>
public sealed class OnlineLock : IDisposable
{
    private OnlineLock(SimulatedLock device, DeviceLoop loop)
    {
        Device = device;
        Loop = loop;
    }

    public SimulatedLock Device { get; }

    public DeviceLoop Loop { get; }

    /// <summary>Provisions <paramref name="id"/>, powers the lock on and waits until the cloud sees it online.</summary>
    public static async Task<OnlineLock> StartAsync(CloudFactory cloud, string id, IGnssSource gnss, string? orgUnit = null)
    {
        byte[] key = await cloud.ProvisionAsync(id, orgUnit: orgUnit);
        var device = new SimulatedLock(new DeviceProvisioning(id, key, 1, null), new DeviceHostOptions
        {
            Broker = new SmartSeal.Simulators.Host.BrokerEndpoint("127.0.0.1", cloud.MqttPort),
            Clock = new HostClock(),
            Flash = new FakePersistentStore(4 * 1024 * 1024),
            Traffic = new TrafficCounters(),
            Log = new SimLog(),
            LinkSettings = new CloudLinkSettings { DesiredStateWaitMs = 300, InitialBackoffMs = 200, MaxBackoffMs = 1000 },
        }) { Gnss = gnss };
        var loop = new DeviceLoop(device);
        loop.Run(() => device.PowerOn("power-on"));
        var online = new OnlineLock(device, loop);
        await cloud.WaitUntilOnlineAsync(id);
        return online;
    }

    public void Dispose()
    {
        Loop.Run(Device.Shutdown);
        Loop.Dispose();
    }
}
