using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Simulators.Tests;

/// <summary>The tester's HTTP hands on a running simulated device: inputs reach the firmware on its own loop.</summary>
public class DeviceControlTests(BrokerFixture fixture) : SimulatorTest(fixture)
{
    [Fact]
    public async Task A_press_over_http_reaches_the_lock_firmware_which_refuses_without_a_token_and_the_state_shows_it()
    {
        var device = new SimulatedLock(DeviceProvisioning.FromMaster(Fixture.MasterKey, "lock-ctl-01"), new DeviceHostOptions
        {
            Broker = Fixture.Broker.Endpoint, Clock = new HostClock(), Flash = new FakePersistentStore(1 << 20), Traffic = new TrafficCounters(), Log = Fixture.Log, Tap = true,
        });
        device.PowerOn("power-on");
        int port = FreePort();
        using var control = new DeviceControlServer(device, port);
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                control.RunPending();
                device.Step();
                Thread.Sleep(10); // the firmware main loop's pace between steps, as on the device
            }
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        JsonElement before = await http.GetFromJsonAsync<JsonElement>("/state");
        Assert.Equal("lock-ctl-01", before.GetProperty("deviceId").GetString());
        HttpResponseMessage pressed = await http.PostAsync("/button", null);
        Assert.Equal(HttpStatusCode.OK, pressed.StatusCode);
        // The firmware sees the press on its next tick; the state shows the refusal then.
        await Eventually.Async(async () => (await http.GetFromJsonAsync<JsonElement>("/state")).GetProperty("lastRefusals").GetArrayLength() > 0, "the press was refused");

        Assert.Equal(0, device.Bolt.UnlockCount);

        // A cabinet's door on a lock is no route; nor is a compartment that does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/door/1?open=true", null)).StatusCode);

        // A page held under the camera: the next capture is that JPEG; a body that is no JPEG is refused.
        byte[] page = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 0xFF, 0xD9];
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/camera", new ByteArrayContent("%PDF-1.7"u8.ToArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/camera", new ByteArrayContent(page))).StatusCode);
        stop.Cancel();
        await loop;
        Assert.Equal(page, device.Camera.Capture());
        device.Shutdown();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
