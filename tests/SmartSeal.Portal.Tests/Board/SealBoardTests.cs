using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Board;

/// <summary>The seal attendance board: where each seal is and who holds it, updated live when a seal moves.</summary>
public sealed class SealBoardTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_seal_handed_to_a_person_moves_on_the_open_board_without_a_reload()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "印章出勤看板" }).ClickAsync();
        ILocator row = keeper.GetByTestId("board").Locator($"tr[data-seal='{world.SealId}']");
        await Expect(row).ToContainTextAsync(world.SealName);
        await Expect(row.GetByTestId("where")).Not.ToContainTextAsync("随人");
        await Expect(keeper.Locator("html")).ToHaveAttributeAsync("data-live", "open");

        // Handed over with the person (the keeper walks off with it): the board follows live.
        HttpClient api = await Org.SignInAsync(world.Keeper);
        HttpResponseMessage handed = await api.PostAsJsonAsync($"/api/seals/{world.SealId}/custody", new { custodian = world.Owner, reason = "外出办理", withPerson = true });
        Assert.Equal(HttpStatusCode.OK, handed.StatusCode);

        await Expect(row.GetByTestId("where")).ToContainTextAsync($"随人 用户 {world.Owner} · 广东省分公司 · 印章管理员"); // name · unit · post
        await Expect(row).ToContainTextAsync("外出");
        await Expect(keeper.GetByTestId("board-live")).ToContainTextAsync("已于");
    }

    [Fact]
    public async Task An_applicant_reads_the_board_of_the_seals_they_may_apply_for()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage applicant = await SignInAsync(world.Applicant);
        await applicant.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "印章出勤看板" }).ClickAsync();
        ILocator row = applicant.GetByTestId("board").Locator($"tr[data-seal='{world.SealId}']");
        await Expect(row).ToContainTextAsync(world.SealName); // a seal of the parent unit, which the application form offers
        await Expect(row.GetByTestId("where")).ToHaveAttributeAsync("data-out", "false");
        await Expect(applicant.GetByTestId("board-applicant")).ToBeVisibleAsync();
    }
}
