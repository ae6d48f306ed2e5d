using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Seals;

/// <summary>
/// The owners' read APIs the portal composes instead of its own SQL: the units on a user's line,
/// their in-use seals in unit order, the seals a lock holds and the inventory checks of units.
/// </summary>
public class SealDirectoryTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;
    private readonly OrgWorld _org;

    public SealDirectoryTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    [Fact]
    public async Task Applicable_seals_are_the_in_use_seals_of_the_users_line_by_unit_then_name()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("gd"), "hq");
        string city = await _org.UnitAsync(OrgWorld.Unique("sz"), province);
        string otherProvince = await _org.UnitAsync(OrgWorld.Unique("bj"), "hq");
        string applicant = await _org.UserAsync(OrgWorld.Unique("applicant"), province, "applicant");
        HttpClient keeper = await _org.SignInAsync(await _org.UserAsync(OrgWorld.Unique("keeper"), "hq", "keeper"));
        string citySeal = await OrgWorld.SealInUseAsync(keeper, city, "A 市章");
        string provinceB = await OrgWorld.SealInUseAsync(keeper, province, "B 省章");
        string provinceA = await OrgWorld.SealInUseAsync(keeper, province, "A 省章");
        string elsewhere = await OrgWorld.SealInUseAsync(keeper, otherProvince, "A 京章");
        HttpResponseMessage registered = await keeper.PostAsJsonAsync("/api/seals", new { name = "A 未启用", type = "company", unitId = province, level = 1 });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        IReadOnlyList<string> units = await _cloud.Service<OrgDirectory>().UnitsOnLineOfUserAsync(applicant);
        Assert.Equal(["hq", province, city], units);
        Assert.Empty(await _cloud.Service<OrgDirectory>().UnitsOnLineOfUserAsync("nobody"));

        var directory = _cloud.Service<SealDirectory>();
        var ours = new HashSet<string> { citySeal, provinceA, provinceB, elsewhere };
        IReadOnlyList<SealListing> offered = await directory.InUseInUnitsAsync([province, city], 500);
        Assert.Equal([provinceA, provinceB, citySeal], offered.Select(s => s.Id));
        Assert.Equal(("A 省章", "company", province), (offered[0].Name, offered[0].Type, offered[0].UnitId));
        Assert.Equal([provinceA], (await directory.InUseInUnitsAsync([province, city], 1)).Select(s => s.Id));
        Assert.Equal([citySeal, provinceA, provinceB], (await directory.InUseInUnitsAsync([city, province], 500)).Select(s => s.Id));
        Assert.DoesNotContain(elsewhere, (await directory.InUseInUnitsAsync(units, 500)).Select(s => s.Id));
        Assert.Equal([provinceA, provinceB, citySeal], (await directory.InUseInUnitsAsync(units, 500)).Select(s => s.Id).Where(ours.Contains));
    }

    [Fact]
    public async Task A_locks_fence_is_the_newest_approved_lock_application_of_a_seal_it_holds()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("zj"), "hq");
        HttpClient keeper = await _org.SignInAsync(await _org.UserAsync(OrgWorld.Unique("keeper"), province, "keeper"));
        string held = await OrgWorld.SealInUseAsync(keeper, province);
        string lockId = OrgWorld.Unique("lock");
        await using (DbConnection connection = await _cloud.Service<Database>().OpenAsync())
        await using (DbTransaction transaction = await connection.BeginTransactionAsync())
        {
            await SealRegistry.SetLocationAsync(connection, transaction, held, SealLocationKind.Lock, lockId, 1_000);
            await transaction.CommitAsync();
        }

        Assert.Equal([held], await _cloud.Service<SealDirectory>().HeldByLockAsync(lockId));
        Assert.Empty(await _cloud.Service<SealDirectory>().HeldByLockAsync(OrgWorld.Unique("lock")));
        Assert.Null(await _cloud.Service<ApplicationDirectory>().LockFenceAsync([held]));
        Assert.Null(await _cloud.Service<ApplicationDirectory>().LockFenceAsync([]));
    }

    [Fact]
    public async Task Inventory_checks_are_listed_newest_first_for_the_given_units_only()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("fj"), "hq");
        string otherProvince = await _org.UnitAsync(OrgWorld.Unique("hn"), "hq");
        HttpClient keeper = await _org.SignInAsync(await _org.UserAsync(OrgWorld.Unique("keeper"), "hq", "keeper"));
        long first = await StartCheckAsync(keeper, province);
        long second = await StartCheckAsync(keeper, province);
        long other = await StartCheckAsync(keeper, otherProvince);

        var directory = _cloud.Service<SealDirectory>();
        IReadOnlyList<InventoryCheckSummary> mine = await directory.InventoryChecksAsync([province], 20);
        Assert.Equal([second, first], mine.Select(c => c.Id));
        Assert.All(mine, c => Assert.Equal((province, (string?)null), (c.UnitId, c.ClosedBy)));
        Assert.Equal([second], (await directory.InventoryChecksAsync([province], 1)).Select(c => c.Id));
        Assert.Empty(await directory.InventoryChecksAsync([], 20));
        Assert.Equal([other, second], (await directory.InventoryChecksAsync(null, 2)).Select(c => c.Id));
    }

    private static async Task<long> StartCheckAsync(HttpClient keeper, string unit)
    {
        HttpResponseMessage started = await keeper.PostAsJsonAsync("/api/inventory-checks", new { unitId = unit });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        return (await started.Content.ReadFromJsonAsync<InventoryCheck>(OrgWorld.Json))!.Id;
    }
}
