using System.Net.Http.Json;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Tests.Documents;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Checkouts;

/// <summary>The overdue-return reminder, on the host's fake clock: the window's end is passed by advancing it, not by waiting.</summary>
public class OverdueReturnTests : CloudTest<FakeTimeCloudFactory>
{
    private readonly FakeTimeCloudFactory _cloud;
    private readonly OrgWorld _org;

    public OverdueReturnTests(FakeTimeCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    [Fact]
    public async Task A_seal_not_back_by_the_end_of_its_window_raises_the_overdue_alarm_once_and_the_return_clears_it()
    {
        SealOffice office = await SealOffice.CreateAsync(_org);
        string lockId = OrgWorld.Unique("lock");
        await _cloud.ProvisionAsync(lockId);
        string applicationId = await office.ApprovedApplicationAsync(CheckoutEndToEndTests.Request(office.SealId, "lock", stamps: 1, windowToMs: _cloud.NowMs + 4_000));
        await DocumentWorld.OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId }));

        CheckoutSweeper sweeper = _cloud.Service<CheckoutSweeper>();
        _cloud.Time.Advance(TimeSpan.FromSeconds(3.9));
        await sweeper.SweepAsync();
        Assert.DoesNotContain(CheckoutAlarms.OverdueReturn, await CheckoutEndToEndTests.ActiveAlarmsAsync(_cloud, lockId));

        _cloud.Time.Advance(TimeSpan.FromSeconds(0.2));
        await sweeper.SweepAsync();
        await sweeper.SweepAsync();
        Assert.Equal([CheckoutAlarms.OverdueReturn], await CheckoutEndToEndTests.ActiveAlarmsAsync(_cloud, lockId));
        Assert.True((await DocumentWorld.OkAsync(await office.KeeperClient.GetAsync($"/api/checkouts/{applicationId}"))).GetProperty("overdue").GetBoolean());

        await DocumentWorld.OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/return", new { }));
        Assert.Empty(await CheckoutEndToEndTests.ActiveAlarmsAsync(_cloud, lockId));
        _cloud.AssertNoErrors();
    }
}
