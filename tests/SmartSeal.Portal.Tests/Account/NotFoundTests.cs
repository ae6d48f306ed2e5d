using System.Net;
using Microsoft.Playwright;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Account;

/// <summary>An unknown URL shows the portal's own 404 page in the reader's language (signed in or not); an unknown API path keeps RFC 7807 problem details.</summary>
public sealed class NotFoundTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task An_unknown_portal_url_is_the_portals_404_page_in_either_language_and_an_unknown_api_path_is_problem_json()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage anonymous = await Fixture.NewPageAsync();
        IResponse? response = await anonymous.GotoAsync("/no/such/page");
        Assert.Equal(404, response!.Status);
        await Expect(anonymous.GetByTestId("not-found")).ToContainTextAsync("找不到该页面");

        IPage page = await SignInAsync(world.Applicant);
        response = await page.GotoAsync("/Applications/NoSuchThing");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("找不到该页面");
        await Expect(page.GetByTestId("user-name")).ToBeVisibleAsync(); // the portal's layout, menu and all
        await page.GetByTestId("language-switch").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
        await Expect(page.GetByTestId("not-found")).Not.ToContainTextAsync("找不到");

        using HttpClient api = Fixture.Cloud.CreateClient();
        HttpResponseMessage problem = await api.GetAsync("/api/no-such-endpoint");
        Assert.Equal(HttpStatusCode.NotFound, problem.StatusCode);
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
    }
}
