using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Seals;

/// <summary>Inventory checks (盘点): the register against the tags cabinets, locks and keepers report.</summary>
public class InventoryCheckTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;
    private readonly OrgWorld _org;

    public InventoryCheckTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    private async Task<string> SealAsync(string unit, string? tag, params string[] actions)
    {
        HttpResponseMessage created = await _org.Admin.PostAsJsonAsync("/api/seals", new { name = "部门章", type = "department", unitId = unit, level = 3 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = (await created.Content.ReadFromJsonAsync<Seal>(OrgWorld.Json))!.Id;
        foreach (string action in actions)
        {
            HttpResponseMessage done = await _org.Admin.PostAsJsonAsync($"/api/seals/{id}/transitions", new { action, reason = "测试", rfidTag = action == "activate" ? tag : null });
            if (done.StatusCode == HttpStatusCode.Accepted)
            {
                // Under four eyes: a keeper of the unit approves the sysadmin's request.
                HttpClient keeper = await _org.SignInAsync(await _org.UserAsync(OrgWorld.Unique("keeper"), unit, "keeper"));
                long request = (await done.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
                done = await keeper.PostAsJsonAsync($"/api/seals/{id}/transition-requests/{request}/approve", new { });
            }

            Assert.True(done.StatusCode == HttpStatusCode.OK, await done.Content.ReadAsStringAsync());
        }

        return id;
    }

    private async Task PlaceAsync(string sealId, SealLocationKind kind, string reference)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        await using DbTransaction transaction = await connection.BeginTransactionAsync();
        await SealRegistry.SetLocationAsync(connection, transaction, sealId, kind, reference, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await transaction.CommitAsync();
    }

    private static string Tag() => Convert.ToHexString(Guid.NewGuid().ToByteArray()[..8]);

    [Fact]
    public async Task A_check_lists_missing_untagged_unexpected_and_misplaced_seals_and_its_result_goes_into_the_ledger()
    {
        await _org.EnsureRootAsync();
        string provinceA = await _org.UnitAsync(OrgWorld.Unique("ah"), "hq");
        string cityA = await _org.UnitAsync(OrgWorld.Unique("hf"), provinceA);
        string provinceB = await _org.UnitAsync(OrgWorld.Unique("jx"), "hq");
        HttpClient keeper = await _org.SignInAsync(await _org.UserAsync(OrgWorld.Unique("keeper"), provinceA, "keeper"));
        HttpClient applicant = await _org.SignInAsync(await _org.UserAsync(OrgWorld.Unique("applicant"), provinceA, "applicant"));

        string t1 = Tag(), t2 = Tag(), t4 = Tag(), t5 = Tag(), unknown = Tag();
        string inCabinet = await SealAsync(cityA, t1, "engrave", "activate");
        string inLock = await SealAsync(cityA, t2, "engrave", "activate");
        string untagged = await SealAsync(provinceA, null, "engrave");
        string revoked = await SealAsync(cityA, t4, "engrave", "activate", "revoke");
        string otherProvince = await SealAsync(provinceB, t5, "engrave", "activate");
        await PlaceAsync(inCabinet, SealLocationKind.Cabinet, "cab-9/2");
        await PlaceAsync(inLock, SealLocationKind.Lock, "lock-1");

        Assert.Equal(HttpStatusCode.Forbidden, (await applicant.PostAsJsonAsync("/api/inventory-checks", new { unitId = provinceA })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await keeper.PostAsJsonAsync("/api/inventory-checks", new { unitId = provinceB })).StatusCode);
        HttpResponseMessage started = await keeper.PostAsJsonAsync("/api/inventory-checks", new { unitId = provinceA });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        InventoryCheck check = (await started.Content.ReadFromJsonAsync<InventoryCheck>(OrgWorld.Json))!;
        Assert.Equal(3, check.Expected);

        await OrgWorld.AssertProblemAsync(await keeper.PostAsJsonAsync($"/api/inventory-checks/{check.Id}/observations", new { source = "cab-9", tags = new[] { "xyz" } }), HttpStatusCode.BadRequest, "xyz");
        Assert.Equal(HttpStatusCode.OK, (await keeper.PostAsJsonAsync($"/api/inventory-checks/{check.Id}/observations", new { source = "cab-9", tags = new[] { t1.ToLowerInvariant(), t4 } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keeper.PostAsJsonAsync($"/api/inventory-checks/{check.Id}/observations", new { source = "cab-9", tags = new[] { t1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keeper.PostAsJsonAsync($"/api/inventory-checks/{check.Id}/observations", new { source = "lock-7", tags = new[] { t5, unknown } })).StatusCode);

        InventoryCheck midway = (await keeper.GetFromJsonAsync<InventoryCheck>($"/api/inventory-checks/{check.Id}", OrgWorld.Json))!;
        Assert.Equal([(inCabinet, "cab-9")], midway.Found.Select(f => (f.SealId, f.Source)));
        var kinds = midway.Discrepancies.Select(d => (d.Kind, d.SealId ?? d.RfidTag ?? string.Empty)).OrderBy(k => k.Item1).ThenBy(k => k.Item2).ToList();
        Assert.Equal(
            new[] { ("missing", inLock), ("no-tag", untagged), ("unexpected", revoked), ("unexpected", otherProvince), ("unexpected", unknown) }.OrderBy(k => k.Item1).ThenBy(k => k.Item2),
            kinds);
        Assert.Contains("revoked", midway.Discrepancies.Single(d => d.SealId == revoked).Detail, StringComparison.Ordinal);
        Assert.Contains("unknown tag", midway.Discrepancies.Single(d => d.RfidTag == unknown).Detail, StringComparison.Ordinal);

        // The seal the register puts in lock-1 turns up in lock-8: found, but elsewhere.
        Assert.Equal(HttpStatusCode.OK, (await keeper.PostAsJsonAsync($"/api/inventory-checks/{check.Id}/observations", new { source = "lock-8", tags = new[] { t2 } })).StatusCode);
        HttpResponseMessage closed = await keeper.PostAsync($"/api/inventory-checks/{check.Id}/close", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        InventoryCheck result = (await closed.Content.ReadFromJsonAsync<InventoryCheck>(OrgWorld.Json))!;
        Assert.False(result.Clean);
        Assert.Contains(result.Discrepancies, d => d.Kind == "elsewhere" && d.SealId == inLock && d.Detail.Contains("lock-8", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Discrepancies, d => d.Kind == "missing");

        await OrgWorld.AssertProblemAsync(await keeper.PostAsJsonAsync($"/api/inventory-checks/{check.Id}/observations", new { source = "cab-9", tags = new[] { t1 } }), HttpStatusCode.Conflict, "closed");
        await OrgWorld.AssertProblemAsync(await keeper.PostAsync($"/api/inventory-checks/{check.Id}/close", null), HttpStatusCode.Conflict, "closed");
        Assert.Equal(HttpStatusCode.NotFound, (await keeper.GetAsync("/api/inventory-checks/999999")).StatusCode);

        StoredLedgerEntry entry = (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: "org:" + provinceA, Limit: 100)))
            .Single(e => LedgerCanon.Fields(e.Payload)["action"] == "inventory-closed");
        IReadOnlyDictionary<string, string> fields = LedgerCanon.Fields(entry.Payload);
        Assert.Equal(("3", "2"), (fields["expected"], fields["found"]));
        Assert.Contains("no-tag " + untagged, fields["discrepancies"], StringComparison.Ordinal);
        _cloud.AssertNoErrors();
    }
}
