using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Tests.Checkouts;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Authorization;

/// <summary>
/// Issue 15, hole 1: a keeper of one province acting on another province's devices, checkouts,
/// alarms and photos. Before the unit authority each of these answered 200/202 (see
/// docs/security-tests.md); now every one is "not found" (the caller cannot see the object, so
/// its existence is not confirmed either) and nothing changes.
/// </summary>
public class CrossUnitTests(CloudFactory cloud) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    [Fact]
    public async Task A_keeper_of_one_province_cannot_disable_command_or_track_a_lock_of_another()
    {
        var org = new OrgWorld(_cloud);
        SealOffice a = await SealOffice.CreateAsync(org);
        SealOffice b = await SealOffice.CreateAsync(org);
        string lockB = OrgWorld.Unique("lock-b");
        Assert.Equal(ProvisionStatus.Ok, (await _cloud.Service<DeviceProvisioner>().ProvisionAsync(new ProvisionRequest(lockB, DeviceKind.Lock, OrgUnit: b.Province))).Status);

        HttpClient keeperA = a.KeeperClient;
        await AssertNotFoundAsync(await keeperA.PostAsJsonAsync($"/api/devices/{lockB}/disable", new { reason = "跨单位" }), lockB);
        await AssertNotFoundAsync(await keeperA.PostAsJsonAsync($"/api/devices/{lockB}/enable", new { reason = "跨单位" }), lockB);
        await AssertNotFoundAsync(await keeperA.PostAsJsonAsync($"/api/devices/{lockB}/commands", new { type = "locate", body = new { } }), lockB);
        await AssertNotFoundAsync(await keeperA.PutAsJsonAsync($"/api/devices/{lockB}/desired-state", new { enabled = false, reason = "跨单位" }), lockB);
        await AssertNotFoundAsync(await keeperA.GetAsync($"/api/devices/{lockB}/commands"), lockB);
        await AssertNotFoundAsync(await keeperA.GetAsync($"/api/devices/{lockB}/desired-state"), lockB);
        await AssertNotFoundAsync(await keeperA.GetAsync($"/api/devices/{lockB}/track"), lockB);
        await AssertNotFoundAsync(await keeperA.GetAsync($"/api/devices/{lockB}"), lockB);
        await AssertNotFoundAsync(await keeperA.GetAsync($"/api/photos/uploads?deviceId={lockB}"), lockB);
        await AssertNotFoundAsync(await keeperA.GetAsync($"/api/photos/devices/{lockB}/p-1"), lockB);
        JsonElement[] listed = (await keeperA.GetFromJsonAsync<JsonElement[]>("/api/devices"))!;
        Assert.DoesNotContain(listed, d => d.GetProperty("id").GetString() == lockB);

        // Nothing was sent or changed: no desired state, no command.
        Assert.Null(await _cloud.Service<DesiredStateService>().FindAsync(lockB));
        Assert.Empty(await _cloud.Service<CommandService>().ListAsync(lockB, null, 10));

        // The keeper of B does all of it.
        HttpResponseMessage disabled = await b.KeeperClient.PostAsJsonAsync($"/api/devices/{lockB}/disable", new { reason = "本单位停用" });
        Assert.True(disabled.StatusCode == HttpStatusCode.Accepted, await disabled.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await b.KeeperClient.GetAsync($"/api/devices/{lockB}/track")).StatusCode);
        Assert.Contains((await b.KeeperClient.GetFromJsonAsync<JsonElement[]>("/api/devices"))!, d => d.GetProperty("id").GetString() == lockB);
    }

    [Fact]
    public async Task A_device_without_a_unit_is_for_sysadmins_only()
    {
        var org = new OrgWorld(_cloud);
        SealOffice a = await SealOffice.CreateAsync(org);
        string loose = OrgWorld.Unique("lock-loose");
        await _cloud.ProvisionAsync(loose);

        await AssertNotFoundAsync(await a.KeeperClient.PostAsJsonAsync($"/api/devices/{loose}/disable", new { reason = "无单位" }), loose);
        Assert.Equal(HttpStatusCode.Accepted, (await org.Admin.PostAsJsonAsync($"/api/devices/{loose}/disable", new { reason = "管理员" })).StatusCode);
    }

    [Fact]
    public async Task A_keeper_of_one_province_cannot_see_or_act_on_another_provinces_checkouts_and_alarms()
    {
        var org = new OrgWorld(_cloud);
        SealOffice a = await SealOffice.CreateAsync(org);
        SealOffice b = await SealOffice.CreateAsync(org);
        string applicationB = await b.ApprovedApplicationAsync(CheckoutEndToEndTests.Request(b.SealId, "lock", 1));

        await AssertNotFoundAsync(await a.KeeperClient.GetAsync($"/api/checkouts/{applicationB}"), applicationB);
        await AssertNotFoundAsync(await a.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationB}/revoke", new { reason = "跨单位" }), applicationB);
        await AssertNotFoundAsync(await a.KeeperClient.PostAsync($"/api/checkouts/{applicationB}/dispense", null), applicationB);
        JsonElement[] checkoutsA = (await a.KeeperClient.GetFromJsonAsync<JsonElement[]>("/api/checkouts"))!;
        Assert.DoesNotContain(checkoutsA, c => c.GetProperty("applicationId").GetString() == applicationB);
        Assert.Contains((await b.KeeperClient.GetFromJsonAsync<JsonElement[]>("/api/checkouts"))!, c => c.GetProperty("applicationId").GetString() == applicationB);
        Assert.Equal(HttpStatusCode.OK, (await b.KeeperClient.GetAsync($"/api/checkouts/{applicationB}")).StatusCode);

        string lockB = OrgWorld.Unique("lock-b");
        Assert.Equal(ProvisionStatus.Ok, (await _cloud.Service<DeviceProvisioner>().ProvisionAsync(new ProvisionRequest(lockB, DeviceKind.Lock, OrgUnit: b.Province))).Status);
        AlarmChange raised = await _cloud.Service<AlarmService>().RaiseAsync(lockB, AlarmTypes.ForgedMessage, 3, "test");
        long alarmId = raised.Id;
        await AssertNotFoundAsync(await a.KeeperClient.GetAsync($"/api/alarms/{alarmId}"), alarmId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await AssertNotFoundAsync(await a.KeeperClient.PostAsJsonAsync($"/api/alarms/{alarmId}/clear", new { comment = "跨单位" }), alarmId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        JsonElement pageA = (await a.KeeperClient.GetFromJsonAsync<JsonElement>($"/api/alarms?device={lockB}"))!;
        Assert.Equal(0, pageA.GetProperty("total").GetInt64());
        JsonElement pageB = (await b.KeeperClient.GetFromJsonAsync<JsonElement>($"/api/alarms?device={lockB}"))!;
        Assert.Equal(1, pageB.GetProperty("total").GetInt64());
        Assert.True((await _cloud.Service<AlarmService>().FindAsync(alarmId))!.Active);
    }

    [Fact]
    public async Task The_portal_device_page_neither_shows_nor_disables_another_provinces_lock()
    {
        var org = new OrgWorld(_cloud);
        SealOffice a = await SealOffice.CreateAsync(org);
        SealOffice b = await SealOffice.CreateAsync(org);
        string lockA = OrgWorld.Unique("lock-a");
        string lockB = OrgWorld.Unique("lock-b");
        await _cloud.ProvisionAsync(lockA, orgUnit: a.Province);
        await _cloud.ProvisionAsync(lockB, orgUnit: b.Province);

        // A's keeper signs in to the portal (cookie and antiforgery token, as a browser would).
        HttpClient browser = _cloud.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        string token = AntiforgeryToken(await browser.GetStringAsync("/Account/SignIn"));
        HttpResponseMessage signedIn = await browser.PostAsync("/Account/SignIn", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Login"] = a.Keeper, ["Password"] = OrgWorld.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        string devices = await browser.GetStringAsync("/Devices");
        Assert.Contains(lockA, devices, StringComparison.Ordinal);
        Assert.DoesNotContain(lockB, devices, StringComparison.Ordinal);
        token = AntiforgeryToken(devices);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/Devices/Detail/{lockB}")).StatusCode);
        HttpResponseMessage forged = await browser.PostAsync($"/Devices/Detail/{lockB}?handler=Disable",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Reason"] = "跨单位", ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Null(await _cloud.Service<DesiredStateService>().FindAsync(lockB));

        // Their own lock: disabled, and the page redirects back to it.
        HttpResponseMessage own = await browser.PostAsync($"/Devices/Detail/{lockA}?handler=Disable",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Reason"] = "本单位停用", ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        Assert.False((await _cloud.Service<DesiredStateService>().FindAsync(lockA))!.Enabled);
    }

    private static string AntiforgeryToken(string page)
    {
        System.Text.RegularExpressions.Match match = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
        Assert.True(match.Success, "the page carries an antiforgery token");
        return match.Groups[1].Value;
    }

    private static async Task AssertNotFoundAsync(HttpResponseMessage response, string id)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery}: expected 404, got {(int)response.StatusCode}: {text}");
        Assert.Contains(id, text, StringComparison.Ordinal);
    }
}
