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
        await using var running = new RunningLock(Fixture, "lock-ctl-01");
        (SimulatedLock device, int port) = (running.Device, running.Port);
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
        await running.StopAsync();
        Assert.Equal(page, device.Camera.Capture());
    }

    [Fact]
    public async Task Bodiless_posts_as_curl_sends_them_are_answered_every_time_and_the_stamp_shows_on_the_next_photo()
    {
        await using var running = new RunningLock(Fixture, "lock-ctl-02");
        (SimulatedLock device, int port) = (running.Device, running.Port);

        // `curl -X POST host/button` sends no Content-Length and no body: raw requests, as curl writes them.
        foreach (string route in new[] { "button", "button", "stamp" })
        {
            string answer = await RawAsync(port, $"POST /{route} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: curl/8\r\nAccept: */*\r\nConnection: close\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 200", answer);
            Assert.Contains("\"deviceId\":\"lock-ctl-02\"", answer);
        }

        Assert.StartsWith("HTTP/1.1 200", await RawAsync(port, "GET /state HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        await running.StopAsync();
        Assert.True(device.Camera.Impressed, "the stamp came down on the page under the camera");
    }

    private static async Task<string> RawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30))).ReplaceLineEndings("\n");
    }


    /// <summary>A powered lock with its control port, stepped on its own loop as the simulator's live mode does.</summary>
    private sealed class RunningLock : IAsyncDisposable
    {
        private readonly DeviceControlServer _control;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public RunningLock(BrokerFixture fixture, string id)
        {
            Device = new SimulatedLock(DeviceProvisioning.FromMaster(fixture.MasterKey, id), new DeviceHostOptions
            {
                Broker = fixture.Broker.Endpoint, Clock = new HostClock(), Flash = new FakePersistentStore(1 << 20), Traffic = new TrafficCounters(), Log = fixture.Log, Tap = true,
            });
            Device.PowerOn("power-on");
            Port = EmbeddedBroker.FreeLoopbackPort();
            _control = new DeviceControlServer(Device, Port);
            _loop = Task.Run(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    _control.RunPending();
                    Device.Step();
                    Thread.Sleep(10); // the firmware main loop's pace between steps, as on the device
                }
            });
        }

        public SimulatedLock Device { get; }

        public int Port { get; }

        /// <summary>Stops the loop (the device's state is then stable to assert on).</summary>
        public async Task StopAsync()
        {
            _stop.Cancel();
            await _loop;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _control.Dispose();
            Device.Shutdown();
            _stop.Dispose();
        }
    }
}
