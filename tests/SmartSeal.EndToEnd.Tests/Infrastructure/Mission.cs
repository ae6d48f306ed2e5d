using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Alarms.Webhooks;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Alarms;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Lock;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Gnss;
using SmartSeal.Simulators.Host;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What every mission scenario needs around the real cloud: a seal office (people and a seal), real
/// firmware on simulated hardware talking MQTT to the cloud's broker, and the checks each scenario
/// ends with — device state, cloud state, alarms, the webhook that told someone, ledger entries and
/// the ledger's verification.
/// </summary>
public sealed class Mission(CloudFactory cloud)
{
    public const double Lat = 22.54;
    public const double Lon = 114.06;

    public CloudFactory Cloud { get; } = cloud;

    public OrgWorld Org { get; } = new(cloud);

    public Task<SealOffice> OfficeAsync() => SealOffice.CreateAsync(Org);

    /// <summary>An application body for the office's seal; the window is open now unless told otherwise.</summary>
    public static object Request(string sealId, string mode, int stamps, long? windowToMs = null, double lat = Lat, double lon = Lon) => new
    {
        sealId,
        purpose = "签订采购合同",
        documents = new[] { new { name = "采购合同.pdf", pages = 2 } },
        stamps,
        mode,
        location = new { circle = new { lat, lon, radiusM = 500 } },
        windowFromMs = Now() - 60_000,
        windowToMs = windowToMs ?? Now() + 86_400_000,
        urgency = "normal",
    };

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async Task<(SimulatedLock Device, DeviceLoop Loop)> OnlineLockAsync(string id, IClock? clock = null, IPersistentStore? flash = null, double lat = Lat, double lon = Lon)
    {
        byte[] key = await Cloud.ProvisionAsync(id);
        var device = new SimulatedLock(new DeviceProvisioning(id, key, 1, null), HostOptions(clock, flash))
        {
            Gnss = new SyntheticRoute(lat, lon, 20, () => Now()),
        };
        return (device, await PowerOnAsync(device));
    }

    public async Task<(SimulatedCabinet Device, DeviceLoop Loop)> OnlineCabinetAsync(string id, int compartments)
    {
        byte[] key = await Cloud.ProvisionAsync(id, SmartSeal.Cloud.Devices.DeviceKind.Cabinet, compartments);
        var cabinet = new SimulatedCabinet(new DeviceProvisioning(id, key, 1, null), HostOptions(null, null), compartments);
        return (cabinet, await PowerOnAsync(cabinet));
    }

    public DeviceHostOptions HostOptions(IClock? clock, IPersistentStore? flash) => DeviceOptions(Cloud.MqttPort, clock, flash);

    /// <summary>A simulated device's host: the broker on loopback, host time, RAM flash, quick reconnects.</summary>
    public static DeviceHostOptions DeviceOptions(int mqttPort, IClock? clock = null, IPersistentStore? flash = null) => new()
    {
        Broker = new SmartSeal.Simulators.Host.BrokerEndpoint("127.0.0.1", mqttPort),
        Clock = clock ?? new HostClock(),
        Flash = flash ?? new FakePersistentStore(4 * 1024 * 1024),
        Traffic = new TrafficCounters(),
        Log = new SimLog(),
        LinkSettings = new CloudLinkSettings { DesiredStateWaitMs = 300, InitialBackoffMs = 200, MaxBackoffMs = 1000 },
    };

    public async Task<DeviceLoop> PowerOnAsync(SimulatedDevice device)
    {
        var loop = new DeviceLoop(device);
        loop.Run(() => device.PowerOn("power-on"));
        await WaitUntilAsync(async () => (await Cloud.Service<DeviceRepository>().FindAsync(device.DeviceId))!.Online, $"{device.DeviceId} came online");
        return loop;
    }

    /// <summary>
    /// A collection from the cabinet, done: the office's seal stowed in compartment 1, an approved
    /// collection dispensed by the keeper, the seal taken out and the cloud's checkout "out".
    /// </summary>
    public async Task<string> CollectedAsync(SealOffice office, SimulatedCabinet cabinet, DeviceLoop loop)
    {
        await StowAsync(office, cabinet, loop, 1);
        string applicationId = await office.ApprovedApplicationAsync(Request(office.SealId, "cabinet", stamps: 1));
        await OkAsync(await office.KeeperClient.PostAsync($"/api/checkouts/{applicationId}/dispense", null));
        await WaitUntilAsync(() => Task.FromResult(cabinet.Compartments[0].Mode == CompartmentMode.Dispensing), "released for the collection");
        await TakeSealAsync(loop, cabinet, 1);
        await WaitUntilAsync(async () => await CheckoutStatusAsync(office, applicationId) == "out", "collected");
        return applicationId;
    }

    /// <summary>A new lock, online, with the office's seal bound for a trip of <paramref name="stamps"/> stamps.</summary>
    public async Task<LockTrip> LockOnTripAsync(SealOffice office, int stamps, long? windowToMs = null)
    {
        string lockId = OrgWorld.Unique("lock");
        (SimulatedLock device, DeviceLoop loop) = await OnlineLockAsync(lockId);
        return new LockTrip(lockId, device, loop, await LockTripAsync(office, device, stamps, windowToMs));
    }

    /// <summary>Binds the office's approved lock application into the lock and waits until the token is on the device with a fix.</summary>
    public async Task<string> LockTripAsync(SealOffice office, SimulatedLock device, int stamps, long? windowToMs = null)
    {
        string applicationId = await office.ApprovedApplicationAsync(Request(office.SealId, "lock", stamps, windowToMs));
        await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId = device.DeviceId, tag = office.Tag }));
        await WaitUntilAsync(() => Task.FromResult(device.State?.Token != null && device.GnssFeed?.Fixes > 0), "the token reached the lock and it has a fix");
        return applicationId;
    }

    /// <summary>Presses and stamps whenever the lock lets it, until stopped (a press it refuses is just tried again).</summary>
    public static async Task StampSteadilyAsync(SimulatedLock device, DeviceLoop loop, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (device.State?.Mode == LockMode.Idle)
            {
                loop.Run(device.PressButton);
            }

            for (int i = 0; i < 100 && device.State?.Mode != LockMode.Unlocked; i++)
            {
                await Task.Delay(10, CancellationToken.None); // load, not a check: up to a second for the bolt, else press again
            }

            if (device.State?.Mode == LockMode.Unlocked)
            {
                loop.Run(device.Stamp);
            }

            await Task.Delay(150, CancellationToken.None); // pacing: a person stamps a page at a time
        }
    }

    /// <summary>Button, bolt open, stamp: one approved use, waited for until the cloud stored it.</summary>
    public async Task StampAsync(SimulatedLock device, DeviceLoop loop, int expectedStampsInCloud)
    {
        await WaitUntilAsync(() => Task.FromResult(device.State?.Mode == LockMode.Idle), "the lock is idle");
        loop.Run(device.PressButton);
        await WaitUntilAsync(() => Task.FromResult(device.State?.Mode == LockMode.Unlocked), "the lock opened");
        loop.Run(device.Stamp);
        await WaitUntilAsync(async () => await CountAsync(device.DeviceId, "stamped") == expectedStampsInCloud, $"{expectedStampsInCloud} stamps in the cloud");
    }

    /// <summary>The keeper stows the office's seal: the compartment opens for its tag, the seal goes in.</summary>
    public async Task StowAsync(SealOffice office, SimulatedCabinet cabinet, DeviceLoop loop, int compartment)
    {
        await OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/stow", new { cabinetId = cabinet.DeviceId, compartment }));
        await WaitUntilAsync(() => Task.FromResult(cabinet.Compartments[compartment - 1].Mode == CompartmentMode.Returning), $"compartment {compartment} opened for the seal");
        await PutSealAsync(loop, cabinet, compartment, office.Tag);
        await WaitUntilAsync(async () => (await SealAsync(office)).GetProperty("locationRef").GetString() == $"{cabinet.DeviceId}/{compartment}", $"the seal is in compartment {compartment}");
    }

    /// <summary>Someone opens the released door, puts a seal with this tag in and (unless told) closes the door.</summary>
    public static Task PutSealAsync(DeviceLoop loop, SimulatedCabinet cabinet, int compartment, string tag, bool close = true) =>
        CabinetHands.ChangeTagAsync(loop, cabinet, compartment, tag, close);

    public static Task TakeSealAsync(DeviceLoop loop, SimulatedCabinet cabinet, int compartment) => CabinetHands.ChangeTagAsync(loop, cabinet, compartment, string.Empty);

    public static async Task<JsonElement> SealAsync(SealOffice office) => await office.KeeperClient.GetFromJsonAsync<JsonElement>($"/api/seals/{office.SealId}");

    public static async Task<(string? Kind, string? Ref)> SealLocationAsync(SealOffice office)
    {
        JsonElement seal = await SealAsync(office);
        return (seal.GetProperty("locationKind").GetString(), seal.GetProperty("locationRef").GetString());
    }

    public static async Task<JsonElement> CheckoutAsync(SealOffice office, string applicationId) =>
        await office.KeeperClient.GetFromJsonAsync<JsonElement>($"/api/checkouts/{applicationId}");

    public static async Task<string?> CheckoutStatusAsync(SealOffice office, string applicationId) =>
        (await CheckoutAsync(office, applicationId)).GetProperty("checkout").GetProperty("status").GetString();

    /// <summary>The seal's ledger entries, oldest first.</summary>
    public async Task<JsonElement[]> LedgerAsync(string sealId) =>
        (await Org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={sealId}")).EnumerateArray().Reverse().ToArray();

    public static string[] Kinds(IEnumerable<JsonElement> entries) => entries.Select(e => e.GetProperty("kind").GetString()!).ToArray();

    public async Task AssertLedgerIntactAsync(string sealId)
    {
        JsonElement verification = await Org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger/verify?seal={sealId}");
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    /// <summary>Active alarm types of a device (the door timer's warning aside: doors are held open on purpose here).</summary>
    public async Task<string[]> ActiveAlarmsAsync(string deviceId)
    {
        await using DbConnection connection = await Cloud.Service<Database>().OpenAsync();
        return (await connection.QueryAsync<string>("SELECT type FROM alarms WHERE device_id = @deviceId AND cleared_ms IS NULL AND type <> 'door-held-open'", new { deviceId })).ToArray();
    }

    public async Task<long> CountAsync(string deviceId, string type)
    {
        await using DbConnection connection = await Cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id = @deviceId AND type = @type", new { deviceId, type });
    }

    /// <summary>Bodies of the device's stored messages of one type, oldest first.</summary>
    public async Task<string[]> BodiesAsync(string deviceId, string type)
    {
        await using DbConnection connection = await Cloud.Service<Database>().OpenAsync();
        return (await connection.QueryAsync<string>("SELECT body FROM device_messages WHERE device_id = @deviceId AND type = @type ORDER BY seq", new { deviceId, type })).ToArray();
    }

    /// <summary>What produced each ledger entry of a kind ("evt:{device}:{seq}"): a duplicate would show as a repeated source or a second row.</summary>
    public async Task<string[]> LedgerSourcesAsync(string sealId, string kind)
    {
        await using DbConnection connection = await Cloud.Service<Database>().OpenAsync();
        return (await connection.QueryAsync<string>("SELECT source FROM ledger_entries WHERE seal_id = @sealId AND kind = @kind ORDER BY seq", new { sealId, kind })).ToArray();
    }

    /// <summary>Waits for the signed webhook telling of this alarm change, and checks its signature.</summary>
    public static async Task<JsonElement> WebhookAsync(WebhookReceiver receiver, string deviceId, string type, string change = "raised")
    {
        ReceivedRequest request = (await receiver.WaitForAsync(E2eCloudFactory.WebhookPath, r =>
        {
            JsonElement body = JsonDocument.Parse(r.Body).RootElement;
            return body.GetProperty("deviceId").GetString() == deviceId && body.GetProperty("type").GetString() == type && body.GetProperty("change").GetString() == change;
        })).First();
        Assert.Equal(GenericWebhookFormat.Sign(E2eCloudFactory.WebhookSecret, request.Body), request.Headers[GenericWebhookFormat.SignatureHeader]);
        return JsonDocument.Parse(request.Body).RootElement;
    }

    public static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected OK, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 20) => Eventually.Async(condition, what, TimeSpan.FromSeconds(seconds));
}
