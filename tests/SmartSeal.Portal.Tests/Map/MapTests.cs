using System.Data.Common;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Portal.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Portal.Tests.Map;

/// <summary>The locks map without tiles: last fixes, a lock's track and geofence, and positions arriving live.</summary>
public sealed class MapTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_locks_track_and_geofence_show_on_a_blank_map_and_new_positions_arrive_live()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string deviceId = "lock-map-" + Guid.NewGuid().ToString("n")[..6];
        byte[] key = await Fixture.Cloud.ProvisionAsync(deviceId);
        await ApprovedLockApplicationAsync(world, deviceId);

        await using DeviceClient device = await DeviceClient.ConnectAsync(Fixture.Cloud.MqttPort, deviceId, key);
        await SendPositionAsync(device, 22.5400000, 114.0600000);
        await SendPositionAsync(device, 22.5410000, 114.0610000);

        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GotoAsync("/Map");
        await Expect(keeper.GetByText("未配置地图底图（离线模式）")).ToBeVisibleAsync();
        await Expect(keeper.Locator("#lock-map.blank")).ToBeVisibleAsync();
        ILocator lockRow = keeper.GetByTestId("locks").Locator("tr", new() { HasText = deviceId });
        await Expect(lockRow).ToContainTextAsync("22.541000");
        await lockRow.GetByRole(AriaRole.Link, new() { Name = deviceId }).ClickAsync();

        await Expect(keeper.GetByTestId("positions").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(keeper.GetByTestId("fence")).ToContainTextAsync(world.SealId);
        // Track, last-position marker and fence circle are drawn by Leaflet.
        await Expect(keeper.Locator("#lock-map path.leaflet-interactive")).ToHaveCountAsync(3);

        await SendPositionAsync(device, 22.5420000, 114.0620000);
        await Expect(keeper.GetByTestId("map-live")).ToHaveTextAsync($"已实时收到 1 个新位置（{deviceId}）");
        await Expect(keeper.GetByTestId("positions").Locator("tbody tr")).ToHaveCountAsync(3);
        await Expect(keeper.GetByTestId("positions").Locator("tbody tr").First).ToContainTextAsync("22.542000");
    }

    private async Task SendPositionAsync(DeviceClient device, double lat, double lon)
    {
        long before = Fixture.Cloud.Service<SmartSeal.Cloud.Ingest.IngestService>().Processed;
        await device.SendAsync(new PositionBody
        {
            Fix = new GeoFix { TimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), LatE7 = (int)(lat * 1e7), LonE7 = (int)(lon * 1e7), AccuracyCm = 500, Satellites = 9, Quality = 1 },
        });
        await Fixture.Cloud.WaitForIngestAsync(before + 1);
    }

    /// <summary>The seal sits in the lock (as the orchestration records it) under an approved take-out application with a circle.</summary>
    private async Task ApprovedLockApplicationAsync(PortalWorld world, string deviceId)
    {
        HttpClient applicant = await Org.SignInAsync(world.Applicant);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        HttpResponseMessage applied = await applicant.PostAsJsonAsync("/api/applications", new
        {
            sealId = world.SealId, purpose = "外带签约", documents = new[] { new { name = "合同.pdf", pages = 2 } }, stamps = 2, mode = "lock",
            location = new { circle = new { lat = 22.541, lon = 114.061, radiusM = 300 } }, windowFromMs = now, windowToMs = now + 86_400_000,
        });
        string id = (await applied.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        foreach (string approver in new[] { world.Head, world.Owner })
        {
            HttpResponseMessage approved = await (await Org.SignInAsync(approver)).PostAsJsonAsync($"/api/approvals/{id}/approve", new { });
            Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
        }

        Database database = Fixture.Cloud.Service<Database>();
        await using DbConnection connection = await database.OpenAsync();
        await using DbTransaction transaction = await connection.BeginTransactionAsync();
        await SealRegistry.SetLocationAsync(connection, transaction, world.SealId, SealLocationKind.Lock, deviceId, now);
        await transaction.CommitAsync();
    }
}
