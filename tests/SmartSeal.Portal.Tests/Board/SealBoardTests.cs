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

        await Expect(row.GetByTestId("where")).ToContainTextAsync($"随人 {world.Owner}");
        await Expect(row).ToContainTextAsync("外出");
        await Expect(keeper.GetByTestId("board-live")).ToContainTextAsync("已于");
    }

    [Fact]
    public async Task An_applicant_may_not_open_the_board()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage applicant = await SignInAsync(world.Applicant);
        await Expect(applicant.GetByRole(AriaRole.Link, new() { Name = "印章出勤看板" })).ToHaveCountAsync(0);
        await applicant.GotoAsync("/Board");
        Assert.Contains("/Account/Denied", applicant.Url, StringComparison.Ordinal);
    }
}
