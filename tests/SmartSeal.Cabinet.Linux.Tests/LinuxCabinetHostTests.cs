using System.Device.Gpio;
using SmartSeal.Cabinet.Linux.Configuration;
using SmartSeal.Cabinet.Linux.Hardware;
using SmartSeal.Cabinet.Linux.Tests.Fakes;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Simulators.Cloud;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Cabinet.Linux.Tests;

/// <summary>
/// The Linux host's main loop against a real MQTT broker (the simulators' embedded one, with the
/// device-key authentication the cloud uses) and the harness cloud: commands arrive over MQTT and
/// move the configured pin, door changes go back to the cloud as events.
/// </summary>
public sealed class LinuxCabinetHostTests : IDisposable
{
    private const string DeviceId = "cab-pi-02";
    private readonly SimLog _log = new();
    private readonly HostClock _clock = new();
    private readonly EmbeddedBroker _broker;
    private readonly HarnessCloud _cloud;

    public LinuxCabinetHostTests()
    {
        _broker = new EmbeddedBroker(DeviceProvisioning.DemoMasterKey, _clock, _log);
        _broker.Start();
        _cloud = new HarnessCloud(DeviceProvisioning.DemoMasterKey, _broker.Endpoint, _clock, _log);
        _cloud.Start();
    }

    [Fact]
    public async Task A_dispense_sent_over_MQTT_releases_the_configured_pin_and_the_door_events_reach_the_cloud()
    {
        FakeBuses buses = OneCompartmentBuses();
        using var board = new LinuxCabinetBoard(CabinetConfig.Parse("""
            { "compartments": [ { "number": 1, "latch": "gpio:17", "door": "gpio:27", "rfid": "spi:0.0" } ] }
            """), buses);
        LinuxCabinet cabinet = await BootAndDispenseAsync(board, buses);
        try
        {

            buses.Gpio.SetInput(27, PinValue.High);
            await RunUntil(cabinet, () => cabinet.Controller!.Compartments[0].DoorOpen, "the core saw the door open");
            buses.Reader(0, 0).Card = null;
            await RunUntil(cabinet, () => _cloud.Read(DeviceId, d => d.Events.Any(e => e.Type == new DispensedBody().Type)), "the cloud heard the seal was taken");
            buses.Gpio.SetInput(27, PinValue.Low);
            await RunUntil(cabinet, () => buses.Gpio.Output(17) == PinValue.Low, "gpio 17 went low once the door shut");

            await RunUntil(cabinet, () => _cloud.Read(DeviceId, d => d.Events.Count(e => e.Type == new DoorBody().Type)) == 2, "the cloud heard the door open and shut");
            Assert.Equal(CompartmentMode.Out, cabinet.Controller!.Compartments[0].Mode);
            Assert.Equal(0, _log.ErrorCount);
        }
        finally
        {
            cabinet.Shutdown();
        }
    }

    [Fact]
    public async Task A_dispense_records_a_clip_of_the_test_pattern_and_the_cloud_receives_it_as_an_mp4_upload()
    {
        string state = Directory.CreateTempSubdirectory("smartseal-linux-video-").FullName;
        FakeBuses buses = OneCompartmentBuses();
        using var board = new LinuxCabinetBoard(CabinetConfig.Parse($$"""
            { "stateDir": "{{state}}", "video": { "source": "testsrc", "seconds": 2, "width": 160, "height": 120 },
              "compartments": [ { "number": 1, "latch": "gpio:17", "door": "gpio:27", "rfid": "spi:0.0" } ] }
            """), buses);
        LinuxCabinet cabinet = await BootAndDispenseAsync(board, buses);
        try
        {
            await board.Clips!.WhenIdleAsync();
            string manifest = "";
            await RunUntil(cabinet, () => _cloud.Read(DeviceId, d => d.Events.FirstOrDefault(e => e.Type == new PhotoManifestBody().Type && e.BodyJson.Contains("\"media\":\"mp4\""))?.BodyJson) is { } m && (manifest = m).Length > 0, "the clip's manifest reached the cloud");
            Assert.Contains("\"purpose\":\"handover\"", manifest);
            Assert.Contains("\"photo\":\"vid-", manifest);
            Assert.Equal(0, _log.ErrorCount);
        }
        finally
        {
            cabinet.Shutdown();
            Directory.Delete(state, recursive: true);
        }
    }

    public void Dispose()
    {
        _cloud.Dispose();
        _broker.Dispose();
    }

    /// <summary>Door 1 (gpio 27) shut and seal 04A1B2C3 on reader spi:0.0.</summary>
    private static FakeBuses OneCompartmentBuses()
    {
        var buses = new FakeBuses();
        buses.Gpio.SetInput(27, PinValue.Low);
        buses.Reader(0, 0).Card = [0x04, 0xA1, 0xB2, 0xC3];
        return buses;
    }

    /// <summary>Powers the cabinet on over the broker, waits for its boot event, and has the cloud dispense compartment 1 until its latch (gpio 17) is high.</summary>
    private async Task<LinuxCabinet> BootAndDispenseAsync(LinuxCabinetBoard board, FakeBuses buses)
    {
        var options = new DeviceHostOptions
        {
            Broker = _broker.Endpoint, Clock = _clock, Flash = new FakePersistentStore(1 << 22), Traffic = new TrafficCounters(), Log = _log,
            Firmware = CabinetHost.Firmware,
        };
        var cabinet = new LinuxCabinet(DeviceProvisioning.FromMaster(DeviceProvisioning.DemoMasterKey, DeviceId), options, board, new CompartmentSettings());
        cabinet.PowerOn("power-on");
        try
        {
            await RunUntil(cabinet, () => _cloud.Read(DeviceId, d => d.Events.Any(e => e.Type == new BootBody().Type)), "the boot event reached the cloud");
            cabinet.Controller!.Register(1, "seal-company", "04A1B2C3");
            _cloud.SendCommand(DeviceId, new DispenseBody { Compartment = 1, SealId = "seal-company", ExpectedTag = "04A1B2C3", Token = _cloud.IssueCabinetToken(DeviceId, 1, "seal-company") });
            await RunUntil(cabinet, () => buses.Gpio.Output(17) == PinValue.High, "gpio 17 went high");
            return cabinet;
        }
        catch
        {
            cabinet.Shutdown();
            throw;
        }
    }

    /// <summary>The host loop (sample inputs, link, controller) until the condition holds; the timeout only bounds a failure.</summary>
    private static async Task RunUntil(LinuxCabinet cabinet, Func<bool> condition, string what)
    {
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out waiting until {what}");
            cabinet.Run(cabinet.Clock.UptimeMs);
            await Task.Delay(10); // the loop's pace, as on the board
        }
    }
}
