using System.Data.Common;
using Dapper;
using Microsoft.Playwright;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Firmware.Lock;
using SmartSeal.Portal.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Simulators.Gnss;

namespace SmartSeal.Portal.Tests.Mission;

/// <summary>
/// The whole mission in a real browser against the cloud on 127.0.0.1, with a portable lock running
/// the real firmware (<see cref="OnlineLock"/>) on the cloud's broker: apply for a take-out, two
/// approvals, the keeper binds the seal into the lock (the token reaches the lock), a stamp in the
/// simulator, the stamp on the map replay, the board and the ledger, a remote disable acknowledged
/// by the lock, and the ledger exported as CSV with the stamp in it.
/// </summary>
public sealed class MissionTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const double Lat = 22.54;
    private const double Lon = 114.06;

    [Fact]
    public async Task A_take_out_goes_from_the_form_to_a_stamp_on_the_map_in_the_ledger_and_in_the_export()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string lockId = "lock-mission-" + Guid.NewGuid().ToString("n")[..6];
        using OnlineLock online = await OnlineLock.StartAsync(Fixture.Cloud, lockId, new SyntheticRoute(Lat, Lon, 20, () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), world.Province);
        string purpose = "外带签约 " + Guid.NewGuid().ToString("n")[..6];

        // The applicant applies for a take-out in a lock, within 800 m of the client's office.
        IPage applicant = await SignInAsync(world.Applicant);
        await applicant.GotoAsync("/Applications/New");
        await applicant.GetByLabel("印章", new() { Exact = true }).SelectOptionAsync(world.SealId);
        await applicant.GetByLabel("用印事由").FillAsync(purpose);
        await applicant.GetByLabel("第 1 个文件的名称").FillAsync("销售合同.pdf");
        await applicant.GetByLabel("第 1 个文件的页数").FillAsync("3");
        await applicant.GetByLabel("用印次数").FillAsync("1");
        await applicant.GetByLabel("外带（印章锁）").CheckAsync();
        await applicant.GetByLabel("圆形区域").CheckAsync();
        await applicant.GetByLabel("纬度", new() { Exact = true }).FillAsync("22.54");
        await applicant.GetByLabel("经度", new() { Exact = true }).FillAsync("114.06");
        await applicant.GetByLabel("半径（米）").FillAsync("800");
        await applicant.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await Expect(applicant.GetByRole(AriaRole.Status)).ToContainTextAsync("申请已提交。");
        string applicationId = applicant.Url.Split('/').Last();

        // Two steps: department head, then the seal's owner.
        foreach (string approver in new[] { world.Head, world.Owner })
        {
            IPage page = await SignInAsync(approver);
            await page.GotoAsync($"/Applications/Detail/{applicationId}");
            await page.GetByRole(AriaRole.Button, new() { Name = "同意", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已同意。");
            await page.Context.CloseAsync();
        }

        await applicant.ReloadAsync();
        await Expect(applicant.Locator("[data-status]").First).ToHaveAttributeAsync("data-status", "approved");

        // The keeper binds the seal into the lock: the signed token reaches the firmware.
        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "保管员工作台" }).ClickAsync();
        ILocator awaiting = keeper.GetByTestId("awaiting").Locator($"tr[data-application='{applicationId}']");
        await awaiting.GetByLabel("印章锁").SelectOptionAsync(lockId);
        await awaiting.GetByRole(AriaRole.Button, new() { Name = "装锁并下发令牌" }).ClickAsync();
        await Expect(keeper.GetByRole(AriaRole.Status)).ToHaveTextAsync($"印章 {world.SealId} 已装入 {lockId}，令牌已下发。");
        await Eventually.Async(() => online.Device.State!.Token != null, "the token reached the lock");

        // The board shows the seal out, in the lock, held by the applicant.
        await keeper.GotoAsync("/Board");
        ILocator boardRow = keeper.GetByTestId("board").Locator($"tr[data-seal='{world.SealId}']");
        await Expect(boardRow).ToContainTextAsync(lockId);
        await Expect(boardRow).ToContainTextAsync("外出");

        // A stamp inside the circle, pressed on the simulated lock.
        await Eventually.Async(() => online.Device.State!.Mode == LockMode.Idle && online.Device.GnssFeed?.Fixes > 0, "idle with a fix");
        online.Loop.Run(online.Device.PressButton);
        await Eventually.Async(() => online.Device.State!.Mode == LockMode.Unlocked, "unlocked for the stamp");
        online.Loop.Run(online.Device.Stamp);
        await Eventually.Async(async () => await LedgerCountAsync(world.SealId, "stamp") == 1, "the stamp is in the ledger");

        // The lock reports a position every 30 s while moving; ask it twice for a track to replay.
        for (int fix = 1; fix <= 2; fix++)
        {
            long known = await PositionCountAsync(lockId);
            await Fixture.Cloud.Service<CommandService>().SendAsync(lockId, new LocateBody(), world.Keeper);
            await Eventually.Async(async () => await PositionCountAsync(lockId) > known, $"position {fix} on request");
        }

        // The map: the stamp where it happened, and the replay moves the lock back along its track.
        await keeper.GotoAsync($"/Map?device={lockId}&hours=1");
        await Expect(keeper.GetByTestId("map-events").Locator("tr[data-kind='stamp']")).ToHaveCountAsync(1);
        await Expect(keeper.Locator("#lock-map path.map-event-stamp")).ToHaveCountAsync(1);
        ILocator slider = keeper.GetByLabel("回放时间");
        string last = await keeper.GetByTestId("replay-at").TextContentAsync() ?? "";
        await slider.FillAsync("0");
        await Expect(keeper.Locator("html")).ToHaveAttributeAsync("data-replay-index", "0");
        Assert.NotEqual(last, await keeper.GetByTestId("replay-at").TextContentAsync());

        // The auditor finds the stamp in the ledger.
        IPage auditor = await SignInAsync(world.Auditor);
        await auditor.GotoAsync($"/Ledger?seal={world.SealId}&kind=stamp");
        ILocator stampRow = auditor.GetByTestId("ledger").Locator("tbody tr");
        await Expect(stampRow).ToHaveCountAsync(1);
        await Expect(stampRow).ToContainTextAsync(world.Applicant);
        await Expect(stampRow.GetByRole(AriaRole.Link, new() { Name = applicationId })).ToBeVisibleAsync();

        // The keeper disables the lock; the firmware applies it and the page shows its acknowledgement.
        await keeper.GotoAsync($"/Devices/Detail/{lockId}");
        await keeper.GetByRole(AriaRole.Button, new() { Name = "远程停用…" }).ClickAsync();
        ILocator dialog = keeper.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("原因").FillAsync("签约结束，收回印章");
        await dialog.GetByTestId("confirm").ClickAsync();
        await Expect(keeper.GetByTestId("acknowledgement")).ToHaveAttributeAsync("data-acknowledged", "true", new() { Timeout = 30_000 });
        await Expect(keeper.GetByTestId("acknowledgement")).ToContainTextAsync("设备已确认：已停用");
        await Eventually.Async(() => online.Device.State!.Mode == LockMode.Disabled, "the lock is disabled");

        // The export: the CSV download carries the stamp row.
        await auditor.GotoAsync("/Reports/Exports");
        await auditor.GetByLabel("印章", new() { Exact = true }).FillAsync(world.SealId);
        IDownload download = await auditor.RunAndWaitForDownloadAsync(() => auditor.GetByRole(AriaRole.Button, new() { Name = "下载 CSV" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        string csv = await File.ReadAllTextAsync(await download.PathAsync());
        string stampLine = Assert.Single(csv.Split('\n'), line => line.Contains(",stamp,", StringComparison.Ordinal));
        Assert.Contains(applicationId, stampLine, StringComparison.Ordinal);
        Assert.Contains(lockId, stampLine, StringComparison.Ordinal);
    }

    private async Task<long> PositionCountAsync(string deviceId)
    {
        await using DbConnection connection = await Fixture.Cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM positions WHERE device_id = @deviceId", new { deviceId });
    }

    private async Task<long> LedgerCountAsync(string sealId, string kind)
    {
        await using DbConnection connection = await Fixture.Cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_entries WHERE seal_id = @sealId AND kind = @kind", new { sealId, kind });
    }
}
