using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Lock;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Gnss;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>
/// The done-when of the document check: the REAL lock firmware (<see cref="SimulatedLock"/>, its
/// fake camera holding the photographed page) against the real cloud. A token binding the
/// contract; a swapped page (page 1's code on page 2) → refused, the reason on the device, in the
/// ledger and the verdicts, the bolt shut; then each approved page photographed → ok → exactly one
/// stamp, its after-photo matched; page 1 again → over-count. The bolt opened once per approved page.
/// </summary>
public class DocumentLockTripTests(DocumentsFactory factory) : CloudTest<DocumentsFactory>(factory)
{
    private readonly DocumentsFactory _cloud = factory;

    private static readonly byte[] Contract = TestDocuments.Pdf(TestDocuments.ContractPages);

    [Fact]
    public async Task The_real_lock_stamps_each_approved_page_once_and_refuses_a_swapped_page_with_the_reason()
    {
        DocumentWorld world = await DocumentWorld.CreateAsync(_cloud);
        // Three uses on the token: the third press reaches the cloud, whose page count refuses it.
        (string applicationId, string documentId, byte[] copy) = await world.ApprovedContractAsync(Contract, stamps: 3);
        byte[][] pages = [TestDocuments.Render(copy, 1), TestDocuments.Render(copy, 2)];
        string lockId = "lock-trip-" + Guid.NewGuid().ToString("n")[..6];
        byte[] key = await _cloud.ProvisionAsync(lockId);
        // The OCR shares two cores with the rest of the suite: the lock waits longer for its verdict than in the field (10 s).
        var device = new SimulatedLock(new DeviceProvisioning(lockId, key, 1, null), HostOptions(), new LockSettings { VerdictTimeoutMs = 120_000 })
        {
            Gnss = new SyntheticRoute(22.54, 114.05, 20, () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
        };
        using var loop = new DeviceLoop(device);
        loop.Run(() => device.PowerOn("power-on"));
        await WaitUntilAsync(async () => (await _cloud.Service<DeviceRepository>().FindAsync(lockId))!.Online, "the lock came online");
        var bound = await _cloud.Service<CheckoutService>().BindToLockAsync(applicationId, lockId, null, "keeper-test");
        Assert.True(bound.Value is not null, $"bind: {bound.Status} {bound.Error}");
        await WaitUntilAsync(() => Task.FromResult(device.State!.Token?.Documents?.Length == 1), "the token binding the contract reached the lock");

        // First a swapped page: page 1's genuine code stuck on page 2's text. Refused: nothing opens.
        await WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Idle), "idle before the swapped page");
        byte[] swapped = TestDocuments.PasteCorner(pages[0], pages[1], 280);
        loop.Run(() => device.HoldInFrontOfCamera(TestDocuments.Photograph(swapped, new TestDocuments.Camera(Seed: 90))));
        loop.Run(device.PressButton);
        await WaitUntilAsync(() => Task.FromResult(device.Snapshot().LastRefusals.Any(r => r.Contains("wrong-page", StringComparison.Ordinal))), "the lock refused the swapped page", TimeSpan.FromSeconds(150));

        Assert.Equal(0, device.Bolt.UnlockCount);

        // Each approved page: held under the camera, checked, opened, stamped, photographed again.
        for (int page = 1; page <= 2; page++)
        {
            int expected = page;
            await WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Idle), $"idle before page {page}");
            loop.Run(() => device.HoldInFrontOfCamera(TestDocuments.Photograph(pages[expected - 1], new TestDocuments.Camera(RotationDegrees: 6 - 5 * expected, Seed: 70 + expected))));
            loop.Run(device.PressButton);
            await WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Unlocked), $"unlocked for page {page}", TimeSpan.FromSeconds(150));
            loop.Run(() => device.HoldInFrontOfCamera(TestDocuments.Photograph(TestDocuments.Stamp(pages[expected - 1]), new TestDocuments.Camera(Seed: 80 + expected))));
            loop.Run(device.Stamp);
            await WaitUntilAsync(async () => await CountAsync("SELECT COUNT(*) FROM document_stamps WHERE document_id = @documentId", documentId) == expected, $"stamp on page {page} recorded");
        }

        // Page 1 again: stamped once already, so over its count — exactly one stamp per page.
        await WaitUntilAsync(() => Task.FromResult(device.State!.Mode == LockMode.Idle), "idle before page 1 again");
        loop.Run(() => device.HoldInFrontOfCamera(TestDocuments.Photograph(pages[0], new TestDocuments.Camera(Seed: 91))));
        loop.Run(device.PressButton);
        await WaitUntilAsync(() => Task.FromResult(device.Snapshot().LastRefusals.Any(r => r.Contains("over-count", StringComparison.Ordinal))), "the lock refused page 1 again", TimeSpan.FromSeconds(150));

        Assert.Equal(2, device.Bolt.UnlockCount);
        Assert.Equal(LockMode.Idle, device.State!.Mode);
        string refusal = device.Snapshot().LastRefusals.Single(r => r.Contains("wrong-page", StringComparison.Ordinal));
        Assert.Contains("document-rejected", refusal, StringComparison.Ordinal);

        JsonElement[] verdicts = (await world.Applicant.GetFromJsonAsync<JsonElement>($"/api/applications/{applicationId}/document-verdicts")).EnumerateArray().ToArray();
        Assert.Equal(["wrong-page", "ok", "ok", "over-count"], verdicts.Select(v => v.GetProperty("verdict").GetString()));
        await WaitUntilAsync(async () => await CountAsync("SELECT COUNT(*) FROM stamp_evidence_checks WHERE device_id = @lockId AND result = 'match'", lockId) == 2, "both after-photos matched");

        JsonElement entries = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?device={lockId}");
        JsonElement[] stamps = entries.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "stamp").ToArray();
        Assert.Equal(["1", "2"], stamps.Select(s => s.GetProperty("fields").GetProperty("page").GetString()).Order());
        Assert.All(stamps, s => Assert.Equal(documentId, s.GetProperty("fields").GetProperty("document").GetString()));
        JsonElement refused = entries.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "refusal" && e.GetProperty("fields").GetProperty("detail").GetString()!.Contains("wrong-page", StringComparison.Ordinal));
        Assert.Equal("document-rejected", refused.GetProperty("fields").GetProperty("reason").GetString());
        Assert.Equal(2, entries.EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "refusal"));
        JsonElement evidence = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger/{refused.GetProperty("id").GetInt64()}/evidence");
        Assert.Equal("wrong-page", evidence.GetProperty("verdict").GetProperty("verdict").GetString());
        Assert.True((await world.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger/verify?seal={world.SealId}")).GetProperty("intact").GetBoolean());

        loop.Run(device.Shutdown);
    }

    private DeviceHostOptions HostOptions() => new()
    {
        Broker = new SmartSeal.Simulators.Host.BrokerEndpoint("127.0.0.1", _cloud.MqttPort),
        Clock = new HostClock(),
        Flash = new FakePersistentStore(8 * 1024 * 1024),
        Traffic = new TrafficCounters(),
        Log = new SimLog(),
        Tap = true,
        LinkSettings = new CloudLinkSettings { DesiredStateWaitMs = 300, InitialBackoffMs = 200, MaxBackoffMs = 1000 },
    };

    private async Task<long> CountAsync(string sql, string value)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, new { documentId = value, lockId = value });
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) => Eventually.Async(condition, what, timeout ?? TimeSpan.FromSeconds(60));
}
