using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Seals;

/// <summary>The seal register through the API: scoped reads, keeper-only writes, the lifecycle with its refusals, hand-over, and the ledger behind it.</summary>
public class SealApiTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;
    private readonly OrgWorld _org;

    public SealApiTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    /// <summary>Two provinces; province A has a city; a keeper on province A, an applicant in the city, a custodian.</summary>
    private async Task<(string ProvinceA, string CityA, string ProvinceB, HttpClient Keeper, HttpClient Applicant, string Custodian)> WorldAsync()
    {
        await _org.EnsureRootAsync();
        string provinceA = await _org.UnitAsync(OrgWorld.Unique("gd"), "hq", "广东省分公司");
        string cityA = await _org.UnitAsync(OrgWorld.Unique("sz"), provinceA, "深圳市分公司");
        string provinceB = await _org.UnitAsync(OrgWorld.Unique("zj"), "hq", "浙江省分公司");
        string keeper = await _org.UserAsync(OrgWorld.Unique("keeper"), provinceA, "keeper");
        string applicant = await _org.UserAsync(OrgWorld.Unique("applicant"), cityA, "applicant");
        string custodian = await _org.UserAsync(OrgWorld.Unique("custodian"), cityA, "keeper");
        return (provinceA, cityA, provinceB, await _org.SignInAsync(keeper), await _org.SignInAsync(applicant), custodian);
    }

    private static async Task<Seal> RegisterAsync(HttpClient client, string unitId, string? tag = null, string type = "contract")
    {
        HttpResponseMessage response = await client.PostAsJsonAsync("/api/seals", new { name = "合同专用章", type, unitId, level = 2, rfidTag = tag });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Seal>(OrgWorld.Json))!;
    }

    private static Task<HttpResponseMessage> ActAsync(HttpClient client, string sealId, string action, string? reason = null, string? rfidTag = null) =>
        client.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action, reason, rfidTag });

    /// <summary>Applies the action; one under four eyes (202) is then approved by the sysadmin, someone other than the requester.</summary>
    private async Task<Seal> ActOkAsync(HttpClient client, string sealId, string action, string? reason = null, string? rfidTag = null)
    {
        HttpResponseMessage response = await ActAsync(client, sealId, action, reason, rfidTag);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            long request = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            HttpResponseMessage approved = await _org.Admin.PostAsJsonAsync($"/api/seals/{sealId}/transition-requests/{request}/approve", new { comment = "核准" });
            Assert.True(approved.StatusCode == HttpStatusCode.OK, $"{action} approval: {await approved.Content.ReadAsStringAsync()}");
            return (await _org.Admin.GetFromJsonAsync<Seal>($"/api/seals/{sealId}", OrgWorld.Json))!;
        }

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<Seal>(OrgWorld.Json))!;
    }

    private static string Tag() => Convert.ToHexString(Guid.NewGuid().ToByteArray()[..8]);

    [Fact]
    public async Task A_keeper_sees_and_keeps_the_seals_of_its_unit_subtree_only()
    {
        var world = await WorldAsync();
        Seal inCity = await RegisterAsync(world.Keeper, world.CityA, Tag());
        Seal otherProvince = await RegisterAsync(_org.Admin, world.ProvinceB, Tag(), "finance");

        Seal[] seen = (await world.Keeper.GetFromJsonAsync<Seal[]>("/api/seals", OrgWorld.Json))!;
        Assert.Contains(seen, s => s.Id == inCity.Id);
        Assert.DoesNotContain(seen, s => s.Id == otherProvince.Id);
        Assert.All(seen, s => Assert.Contains(s.UnitId, new[] { world.ProvinceA, world.CityA }));
        Assert.Equal(HttpStatusCode.NotFound, (await world.Keeper.GetAsync($"/api/seals/{otherProvince.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ActAsync(world.Keeper, otherProvince.Id, "engrave")).StatusCode);
        await OrgWorld.AssertProblemAsync(
            await world.Keeper.PostAsJsonAsync("/api/seals", new { name = "财务专用章", type = "finance", unitId = world.ProvinceB, level = 1 }), HttpStatusCode.Forbidden, world.ProvinceB);

        // The sysadmin sees both; the applicant reads its own unit's seals but cannot register or change any.
        Seal[] all = (await _org.Admin.GetFromJsonAsync<Seal[]>("/api/seals", OrgWorld.Json))!;
        Assert.Contains(all, s => s.Id == inCity.Id);
        Assert.Contains(all, s => s.Id == otherProvince.Id);
        Seal[] applicantSees = (await world.Applicant.GetFromJsonAsync<Seal[]>("/api/seals", OrgWorld.Json))!;
        Assert.Equal([inCity.Id], applicantSees.Select(s => s.Id));
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Applicant.PostAsJsonAsync("/api/seals", new { name = "x", type = "project", unitId = world.CityA, level = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(world.Applicant, inCity.Id, "engrave")).StatusCode);

        // Filters: one unit's subtree and one state.
        Seal[] ofCity = (await _org.Admin.GetFromJsonAsync<Seal[]>($"/api/seals?unitId={world.CityA}&state=engraving-requested", OrgWorld.Json))!;
        Assert.Equal([inCity.Id], ofCity.Select(s => s.Id));
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task The_whole_lifecycle_runs_through_the_api_refuses_what_the_table_refuses_and_is_ledgered_on_the_seals_chain()
    {
        var world = await WorldAsync();
        Seal seal = await RegisterAsync(world.Keeper, world.CityA);
        Assert.Equal(SealState.EngravingRequested, seal.State);
        Assert.Equal(SealLocationKind.Unknown, seal.LocationKind);

        await ActOkAsync(world.Keeper, seal.Id, "engrave");
        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, seal.Id, "activate"), HttpStatusCode.Conflict, "needs an RFID tag");
        string tag = Tag();
        Seal active = await ActOkAsync(world.Keeper, seal.Id, "activate", rfidTag: tag.ToLowerInvariant());
        Assert.Equal(SealState.InUse, active.State);
        Assert.Equal(tag, active.RfidTag);

        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, seal.Id, "suspend"), HttpStatusCode.BadRequest, "reason");
        await ActOkAsync(world.Keeper, seal.Id, "suspend", "年检");
        await ActOkAsync(world.Keeper, seal.Id, "resume");
        await ActOkAsync(world.Keeper, seal.Id, "report-lost", "外出遗失");
        await ActOkAsync(world.Keeper, seal.Id, "recover", "已找回");
        await ActOkAsync(world.Keeper, seal.Id, "report-lost", "再次遗失");
        await ActOkAsync(world.Keeper, seal.Id, "publish-loss", "登报声明作废");

        JsonElement refused = await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, seal.Id, "recover", "找到了"), HttpStatusCode.Conflict, "is lost-published: cannot recover; allowed: revoke");
        Assert.Equal(409, refused.GetProperty("status").GetInt32());
        await ActOkAsync(world.Keeper, seal.Id, "revoke", "作废");
        Seal destroyed = await ActOkAsync(world.Keeper, seal.Id, "destroy", "监销");
        Assert.Empty(destroyed.AllowedActions);
        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, seal.Id, "resume"), HttpStatusCode.Conflict, "is destroyed: cannot resume; allowed: none");
        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, seal.Id, "fly"), HttpStatusCode.BadRequest, string.Empty);
        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, "seal-none-such", "engrave"), HttpStatusCode.NotFound, "seal-none-such");

        var entries = (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: seal.Id, Limit: 100))).Where(e => e.Kind != SealLedgerKinds.LifecycleRequest).OrderBy(e => e.Seq).ToList();
        Assert.Equal(
            ["registered", "engrave", "activate", "suspend", "resume", "report-lost", "recover", "report-lost", "publish-loss", "revoke", "destroy"],
            entries.Select(e => LedgerCanon.Fields(e.Payload)["action"]));
        Assert.Equal(LedgerKinds.Admin, entries[0].Kind);
        Assert.All(entries.Skip(1), e => Assert.Equal(SealLedgerKinds.Lifecycle, e.Kind));
        IReadOnlyDictionary<string, string> publish = LedgerCanon.Fields(entries[8].Payload);
        Assert.Equal(("lost-reported", "lost-published", "登报声明作废"), (publish["from"], publish["to"], publish["reason"]));
        Assert.Equal(tag, LedgerCanon.Fields(entries[2].Payload)["tag"]);
        // The keeper acted, or (the irreversible actions, under four eyes) requested and the sysadmin approved.
        Assert.All(entries, e => Assert.StartsWith("keeper-", LedgerCanon.Fields(e.Payload).TryGetValue("requestedBy", out string? requester) ? requester : e.Actor, StringComparison.Ordinal));

        LedgerVerification verification = await _cloud.Service<LedgerVerifier>().VerifyAsync(seal.Id);
        Assert.True(verification.Intact, verification.FirstProblem?.Problem);
        Assert.Equal(11 + 3, verification.EntriesChecked); // and the three four-eyes requests
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task An_rfid_tag_belongs_to_one_live_seal_and_is_free_again_once_that_seal_is_revoked()
    {
        var world = await WorldAsync();
        string tag = Tag();
        Seal first = await RegisterAsync(world.Keeper, world.CityA, tag);
        await OrgWorld.AssertProblemAsync(
            await world.Keeper.PostAsJsonAsync("/api/seals", new { name = "重复", type = "company", unitId = world.CityA, level = 1, rfidTag = tag }), HttpStatusCode.Conflict, first.Id);
        Seal second = await RegisterAsync(world.Keeper, world.CityA);
        await ActOkAsync(world.Keeper, second.Id, "engrave");
        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, second.Id, "activate", rfidTag: tag), HttpStatusCode.Conflict, tag);

        await ActOkAsync(world.Keeper, first.Id, "revoke", "刻错");
        Seal reused = await ActOkAsync(world.Keeper, second.Id, "activate", rfidTag: tag);
        Assert.Equal(tag, reused.RfidTag);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task A_hand_over_changes_the_custodian_and_location_and_is_a_custody_entry()
    {
        var world = await WorldAsync();
        Seal seal = await RegisterAsync(world.Keeper, world.CityA, Tag());
        HttpResponseMessage response = await world.Keeper.PostAsJsonAsync($"/api/seals/{seal.Id}/custody", new { custodian = world.Custodian, reason = "岗位交接", withPerson = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Seal handed = (await world.Keeper.GetFromJsonAsync<Seal>($"/api/seals/{seal.Id}", OrgWorld.Json))!;
        Assert.Equal(world.Custodian, handed.Custodian);
        Assert.Equal(SealLocationKind.Person, handed.LocationKind);
        Assert.Equal(world.Custodian, handed.LocationRef);

        StoredLedgerEntry custody = (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: seal.Id, Kind: LedgerKinds.Custody, Limit: 10))).Single();
        Assert.Equal(("", world.Custodian, "岗位交接"), (LedgerCanon.Fields(custody.Payload)["from"], LedgerCanon.Fields(custody.Payload)["to"], LedgerCanon.Fields(custody.Payload)["reason"]));

        await OrgWorld.AssertProblemAsync(await world.Keeper.PostAsJsonAsync($"/api/seals/{seal.Id}/custody", new { custodian = "nobody-at-all", reason = "x" }), HttpStatusCode.BadRequest, "nobody-at-all");
        await OrgWorld.AssertProblemAsync(await world.Keeper.PostAsJsonAsync($"/api/seals/{seal.Id}/custody", new { custodian = world.Custodian }), HttpStatusCode.BadRequest, "reason");
        await ActOkAsync(world.Keeper, seal.Id, "revoke", "撤销");
        await OrgWorld.AssertProblemAsync(await world.Keeper.PostAsJsonAsync($"/api/seals/{seal.Id}/custody", new { custodian = world.Custodian, reason = "x" }), HttpStatusCode.Conflict, "revoked");
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Bad_registrations_are_validation_problems()
    {
        var world = await WorldAsync();
        async Task BadAsync(object body, string field) =>
            Assert.True((await OrgWorld.AssertProblemAsync(await world.Keeper.PostAsJsonAsync("/api/seals", body), HttpStatusCode.BadRequest, field)).TryGetProperty("errors", out _));

        await BadAsync(new { type = "contract", unitId = world.CityA, level = 1 }, "name");
        await BadAsync(new { name = "x", unitId = world.CityA, level = 1 }, "type");
        await BadAsync(new { name = "x", type = "contract", unitId = world.CityA, level = 0 }, "level");
        await BadAsync(new { name = "x", type = "contract", unitId = world.CityA, level = 1, rfidTag = "not-hex!" }, "rfidTag");
        await BadAsync(new { name = "x", type = "contract", unitId = "no-such-unit", level = 1 }, "no unit no-such-unit");
        await BadAsync(new { name = "x", type = "contract", unitId = world.CityA, level = 1, custodian = "ghost" }, "ghost");
        await BadAsync(new { name = "x", type = "contract", unitId = world.CityA, level = 1, id = "Bad Id" }, "\"id\"");
        Assert.Equal(HttpStatusCode.BadRequest, (await world.Keeper.PostAsJsonAsync("/api/seals", new { name = "x", type = "rubber-duck", unitId = world.CityA, level = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await world.Keeper.GetAsync("/api/seals?state=misplaced")).StatusCode);
    }

    [Fact]
    public async Task Revoking_a_seal_takes_a_second_keeper_the_requester_cannot_approve_and_a_rejection_needs_a_reason()
    {
        var world = await WorldAsync();
        Seal seal = await RegisterAsync(world.Keeper, world.ProvinceA, Tag());
        await ActOkAsync(world.Keeper, seal.Id, "engrave");
        await ActOkAsync(world.Keeper, seal.Id, "activate");
        HttpClient second = await _org.SignInAsync(await _org.UserAsync(OrgWorld.Unique("keeper2"), world.ProvinceA, "keeper"));

        HttpResponseMessage requested = await ActAsync(world.Keeper, seal.Id, "revoke", "公司更名");
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        JsonElement request = await requested.Content.ReadFromJsonAsync<JsonElement>();
        long id = request.GetProperty("id").GetInt64();
        Assert.Equal(("pending", "revoke"), (request.GetProperty("status").GetString(), request.GetProperty("action").GetString()));
        Assert.Equal(SealState.InUse, (await world.Keeper.GetFromJsonAsync<Seal>($"/api/seals/{seal.Id}", OrgWorld.Json))!.State);

        // One request at a time; the requester cannot approve it; a rejection must say why; another keeper of the unit decides.
        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, seal.Id, "destroy", "x"), HttpStatusCode.Conflict, "in-use");
        await OrgWorld.AssertProblemAsync(await ActAsync(world.Keeper, seal.Id, "revoke", "再次"), HttpStatusCode.Conflict, "waiting for approval");
        await OrgWorld.AssertProblemAsync(await world.Keeper.PostAsJsonAsync($"/api/seals/{seal.Id}/transition-requests/{id}/approve", new { }), HttpStatusCode.Forbidden, "four eyes");
        await OrgWorld.AssertProblemAsync(await second.PostAsJsonAsync($"/api/seals/{seal.Id}/transition-requests/{id}/reject", new { }), HttpStatusCode.BadRequest, "comment");
        HttpResponseMessage approved = await second.PostAsJsonAsync($"/api/seals/{seal.Id}/transition-requests/{id}/approve", new { comment = "核准" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await OrgWorld.AssertProblemAsync(await second.PostAsJsonAsync($"/api/seals/{seal.Id}/transition-requests/{id}/approve", new { }), HttpStatusCode.Conflict, "already approved");
        Assert.Equal(SealState.Revoked, (await world.Keeper.GetFromJsonAsync<Seal>($"/api/seals/{seal.Id}", OrgWorld.Json))!.State);

        var entries = (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: seal.Id, Limit: 100))).OrderBy(e => e.Seq).ToList();
        IReadOnlyDictionary<string, string> revoke = LedgerCanon.Fields(entries.Last(e => e.Kind == SealLedgerKinds.Lifecycle).Payload);
        Assert.Equal(("revoke", "公司更名"), (revoke["action"], revoke["reason"]));
        Assert.NotEqual(revoke["requestedBy"], revoke["approvedBy"]);
        Assert.Contains(entries, e => e.Kind == SealLedgerKinds.LifecycleRequest);

        // A rejected request leaves the seal as it was.
        HttpResponseMessage destroy = await ActAsync(world.Keeper, seal.Id, "destroy", "监销");
        long destroyId = (await destroy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsJsonAsync($"/api/seals/{seal.Id}/transition-requests/{destroyId}/reject", new { comment = "待审计后再销毁" })).StatusCode);
        Assert.Equal(SealState.Revoked, (await world.Keeper.GetFromJsonAsync<Seal>($"/api/seals/{seal.Id}", OrgWorld.Json))!.State);
        JsonElement[] history = (await second.GetFromJsonAsync<JsonElement[]>($"/api/seals/{seal.Id}/transition-requests"))!;
        Assert.Equal(["rejected", "approved"], history.Select(h => h.GetProperty("status").GetString()));
    }
}
