using System.Text.Json;
using Microsoft.Playwright;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Account;

/// <summary>
/// The date/time inputs of a Chinese page are in Chinese: the page and its inputs say <c>lang="zh-CN"</c>
/// (from the request culture) and Chromium, running with the zh-CN locale like the users' browsers,
/// renders the window's fields as 年/月/日 (read from the accessibility tree, which lists each field).
/// </summary>
public sealed class DateInputLanguageTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task The_application_windows_date_time_inputs_are_rendered_in_Chinese_on_a_Chinese_page()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage page = await SignInAsync(world.Applicant);
        await page.GotoAsync("/Applications/New");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        ILocator from = page.Locator("#WindowFrom");
        await Expect(from).ToHaveAttributeAsync("type", "datetime-local");
        Assert.Equal("zh-CN", await from.EvaluateAsync<string>("e => e.closest('[lang]').lang"));
        Assert.Equal("zh-CN", await page.EvaluateAsync<string>("() => navigator.language"));

        string fields = await InputFieldNamesAsync(page, "WindowFrom");
        Assert.True(fields.Contains("年", StringComparison.Ordinal), fields);
        Assert.Contains("月", fields, StringComparison.Ordinal);
        Assert.Contains("日", fields, StringComparison.Ordinal);
        Assert.DoesNotContain("Month", fields, StringComparison.Ordinal);

        // A typed value round-trips in the wire format whatever the display (the server parses it in the user's zone).
        await from.FillAsync("2026-12-08T09:30");
        Assert.Equal("2026-12-08T09:30", await from.InputValueAsync());
    }

    /// <summary>The names of the fields Chromium renders inside the input (its spin buttons), from the accessibility tree below it.</summary>
    private static async Task<string> InputFieldNamesAsync(IPage page, string id)
    {
        ICDPSession cdp = await page.Context.NewCDPSessionAsync(page);
        JsonElement? document = await cdp.SendAsync("DOM.getDocument", new() { ["depth"] = -1, ["pierce"] = true });
        JsonElement? node = await cdp.SendAsync("DOM.querySelector", new() { ["nodeId"] = document!.Value.GetProperty("root").GetProperty("nodeId").GetInt32(), ["selector"] = "#" + id });
        JsonElement? input = await cdp.SendAsync("Accessibility.getPartialAXTree", new() { ["nodeId"] = node!.Value.GetProperty("nodeId").GetInt32(), ["fetchRelatives"] = false });
        string inputId = input!.Value.GetProperty("nodes")[0].GetProperty("nodeId").GetString()!;
        JsonElement? tree = await cdp.SendAsync("Accessibility.getFullAXTree");
        Dictionary<string, JsonElement> byId = tree!.Value.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("nodeId").GetString()!);
        var names = new List<string>();
        var pending = new Stack<string>([inputId]);
        while (pending.TryPop(out string? current))
        {
            if (!byId.TryGetValue(current, out JsonElement ax))
            {
                continue;
            }

            if (ax.TryGetProperty("name", out JsonElement name) && name.TryGetProperty("value", out JsonElement value))
            {
                names.Add(value.ToString());
            }

            if (ax.TryGetProperty("childIds", out JsonElement children))
            {
                foreach (JsonElement child in children.EnumerateArray())
                {
                    pending.Push(child.GetString()!);
                }
            }
        }

        return string.Join(" | ", names);
    }
}
