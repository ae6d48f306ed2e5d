using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Seals;

/// <summary>The organisation and seal register on PostgreSQL: every query of the area runs once on the other database.</summary>
public sealed class OrgAndSealsOnPostgresTests(ITestOutputHelper output) : PostgresHostTest(output)
{
    [Fact]
    public async Task On_PostgreSQL_sign_in_lockout_scoped_seals_the_lifecycle_and_the_ledger_work_as_on_SQLite()
    {
        if (Cloud is null)
        {
            return;
        }

        var org = new OrgWorld(Cloud);
        await org.EnsureRootAsync();
        string provinceA = await org.UnitAsync("gd", "hq");
        string cityA = await org.UnitAsync("gd-sz", provinceA);
        string provinceB = await org.UnitAsync("zj", "hq");
        string keeper = await org.UserAsync("keeper.a", provinceA, "keeper", "approver");
        string deputy = await org.UserAsync("deputy.a", cityA, "applicant");
        HttpClient client = await org.SignInAsync(keeper);

        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(HttpStatusCode.Created, (await org.Admin.PostAsJsonAsync("/api/org/delegations", new { fromLogin = keeper, toLogin = deputy, startsMs = now, endsMs = now + 3_600_000 })).StatusCode);
        Assert.Single((await org.Admin.GetFromJsonAsync<JsonElement[]>("/api/org/delegations"))!);

        HttpResponseMessage created = await client.PostAsJsonAsync("/api/seals", new { id = "gd-sz-contract", name = "合同专用章", type = "contract", unitId = cityA, level = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await org.Admin.PostAsJsonAsync("/api/seals", new { id = "zj-finance", name = "财务专用章", type = "finance", unitId = provinceB, level = 1, rfidTag = "E28011AA00000001" })).StatusCode);
        Seal[] seen = (await client.GetFromJsonAsync<Seal[]>($"/api/seals?unitId={provinceA}&state=engraving-requested", OrgWorld.Json))!;
        Assert.Equal(["gd-sz-contract"], seen.Select(s => s.Id));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/seals/gd-sz-contract/transitions", new { action = "engrave" })).StatusCode);
        await OrgWorld.AssertProblemAsync(await client.PostAsJsonAsync("/api/seals/gd-sz-contract/transitions", new { action = "activate", rfidTag = "e28011aa00000001" }), HttpStatusCode.Conflict, "zj-finance");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/seals/gd-sz-contract/transitions", new { action = "activate", rfidTag = "E28011AA00000002" })).StatusCode);
        await OrgWorld.AssertProblemAsync(await client.PostAsJsonAsync("/api/seals/gd-sz-contract/transitions", new { action = "destroy", reason = "x" }), HttpStatusCode.Conflict, "is in-use");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/seals/gd-sz-contract/custody", new { custodian = deputy, reason = "交接", withPerson = true })).StatusCode);

        HttpResponseMessage started = await client.PostAsJsonAsync("/api/inventory-checks", new { unitId = provinceA });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        long check = (await started.Content.ReadFromJsonAsync<InventoryCheck>(OrgWorld.Json))!.Id;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/inventory-checks/{check}/observations", new { tags = new[] { "E28011AA00000002", "E28011AA00000001" } })).StatusCode);
        InventoryCheck result = (await (await client.PostAsync($"/api/inventory-checks/{check}/close", null)).Content.ReadFromJsonAsync<InventoryCheck>(OrgWorld.Json))!;
        Assert.Equal((1, "gd-sz-contract"), (result.Expected, Assert.Single(result.Found).SealId));
        Assert.Equal("zj-finance", Assert.Single(result.Discrepancies).SealId);

        for (int i = 0; i < 5; i++)
        {
            await org.LoginAsync(deputy, "Wrong-password-" + i);
        }

        await OrgWorld.AssertProblemAsync(await org.LoginAsync(deputy, OrgWorld.Password), (HttpStatusCode)423, "locked");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/seals")).StatusCode);

        LedgerVerification verification = await Cloud.Service<LedgerVerifier>().VerifyAsync();
        Assert.True(verification.Intact, verification.FirstProblem?.Problem);
        Assert.Equal(4, (await Cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: "gd-sz-contract", Limit: 10))).Count);
    }
}
