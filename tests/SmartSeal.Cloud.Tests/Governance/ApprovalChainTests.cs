using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using static SmartSeal.Cloud.Tests.Governance.ChainOffice;

namespace SmartSeal.Cloud.Tests.Governance;

/// <summary>Chains up the unit tree through the API: post steps level by level, vacancies, moved approvers, and the chains refused.</summary>
public class ApprovalChainTests : CloudTest<CloudFactory>
{
    private readonly OrgWorld _org;

    public ApprovalChainTests(CloudFactory cloud)
        : base(cloud)
    {
        _org = new OrgWorld(cloud);
    }

    private static object[] FourLevels => [PostStep("town-head", 0), PostStep("county-head", 1), PostStep("city-head", 2), PostStep("province-head", 3)];

    [Fact]
    public async Task A_four_level_chain_goes_up_a_four_level_tree_step_by_step_as_the_preview_said()
    {
        ChainOffice o = await ChainOffice.CreateAsync(_org);
        await o.SaveChainAsync(OrgWorld.Unique("up-the-tree"), FourLevels);
        string[] expected = [o.Heads[o.Township], o.Heads[o.County], o.Heads[o.City], o.Heads[o.Province]];

        JsonElement preview = await OkAsync(await o.KeeperClient.PostAsJsonAsync("/api/approval-chains/preview", new { applicant = o.Applicant, sealId = o.SealId }));
        Assert.Equal(expected, preview.GetProperty("steps").EnumerateArray().Select(s => Strings(s.GetProperty("approvers")).Single()));
        Assert.Equal([o.Township, o.County, o.City, o.Province], preview.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("unitId").GetString()));

        string id = (await o.ApplyAsync()).GetProperty("id").GetString()!;
        for (int level = 0; level < 4; level++)
        {
            // Nobody above the current level may act before it.
            if (level < 3)
            {
                await OrgWorld.AssertProblemAsync(
                    await (await o.Org.SignInAsync(expected[level + 1])).PostAsJsonAsync($"/api/approvals/{id}/approve", new { }), HttpStatusCode.Forbidden, "not an approver");
            }

            JsonElement after = await o.DecideAsync(expected[level], id);
            Assert.Equal(level < 3 ? "pending" : "approved", after.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_vacant_post_goes_to_the_next_level_and_the_routing_is_recorded_in_the_application_and_the_ledger()
    {
        ChainOffice o = await ChainOffice.CreateAsync(_org, "county");
        await o.SaveChainAsync(OrgWorld.Unique("vacancy"), [PostStep("town-head", 0), PostStep("county-head", 1)]);

        JsonElement application = await o.ApplyAsync();
        JsonElement countyStep = application.GetProperty("steps")[1];
        Assert.Equal([o.Heads[o.City]], Strings(countyStep.GetProperty("approvers")));
        Assert.Equal(o.City, countyStep.GetProperty("unitId").GetString());
        Assert.Contains($"{HeadPost} of {o.County} is vacant", Strings(countyStep.GetProperty("notes")).Single(), StringComparison.Ordinal);

        string id = application.GetProperty("id").GetString()!;
        JsonElement ledger = await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={o.SealId}&application={id}&kind=application");
        JsonElement submitted = ledger.EnumerateArray().Single(e => e.GetProperty("fields").GetProperty("decision").GetString() == "submitted");
        Assert.Contains("vacant", submitted.GetProperty("fields").GetProperty("routing").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approver_who_moved_units_mid_flight_cannot_decide_and_the_step_goes_to_whoever_holds_the_post()
    {
        ChainOffice o = await ChainOffice.CreateAsync(_org);
        await o.SaveChainAsync(OrgWorld.Unique("moved"), [PostStep("town-head", 0), PostStep("county-head", 1)]);
        string id = (await o.ApplyAsync()).GetProperty("id").GetString()!;
        await o.DecideAsync(o.Heads[o.Township], id);
        string movedHead = o.Heads[o.County];
        string successor = await o.PersonAsync(OrgWorld.Unique("new-county-head"), o.Province, "职员");

        // The county head is transferred to the province; their successor takes the post in the county.
        await OkAsync(await _org.Admin.PutAsJsonAsync($"/api/org/users/{movedHead}/placement", new { unitId = o.Province, post = "副总" }));
        await OkAsync(await _org.Admin.PutAsJsonAsync($"/api/org/users/{successor}/placement", new { unitId = o.County, post = HeadPost }));

        JsonElement refused = await OrgWorld.AssertProblemAsync(
            await (await o.Org.SignInAsync(movedHead)).PostAsJsonAsync($"/api/approvals/{id}/approve", new { }), HttpStatusCode.Forbidden, "not an approver");
        Assert.Equal(403, refused.GetProperty("status").GetInt32());
        JsonElement view = await (await o.Org.SignInAsync(successor)).GetFromJsonAsync<JsonElement>($"/api/applications/{id}");
        Assert.Equal([successor], Strings(view.GetProperty("heldBy")));
        Assert.Contains(Strings(view.GetProperty("steps")[1].GetProperty("notes")), n => n.Contains($"{movedHead} no longer hold", StringComparison.Ordinal));

        Assert.Equal("approved", (await o.DecideAsync(successor, id)).GetProperty("status").GetString());
        JsonElement ledger = await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={o.SealId}&application={id}&kind=application");
        Assert.Equal(["submitted", "approved", "rerouted", "approved"], ledger.EnumerateArray().Reverse().Select(e => e.GetProperty("fields").GetProperty("decision").GetString()));
    }

    [Fact]
    public async Task Empty_cyclic_and_unroutable_chains_are_refused_and_nothing_is_stored()
    {
        ChainOffice o = await ChainOffice.CreateAsync(_org);
        string name = OrgWorld.Unique("bad");
        await AssertRefusedAsync(await o.SaveChainAsync(name, [], HttpStatusCode.BadRequest), "empty chain");
        await AssertRefusedAsync(await o.SaveChainAsync(name, [PostStep("a", 1), PostStep("b", 1)], HttpStatusCode.BadRequest), "cyclic");
        await AssertRefusedAsync(await o.SaveChainAsync(name, [PostStep("a", 2), PostStep("b", 1)], HttpStatusCode.BadRequest), "goes back down");
        await AssertRefusedAsync(await o.SaveChainAsync(name, [PostStep("a", 0, "不存在的岗位")], HttpStatusCode.BadRequest), "held by nobody");
        await AssertRefusedAsync(await o.SaveChainAsync(name, [new { name = "legal", kind = "countersign", post = HeadPost, departments = new[] { o.City, "no-such-unit" }, mode = "all-of" }],
            HttpStatusCode.BadRequest), "no unit no-such-unit");
        JsonElement stored = await o.KeeperClient.GetFromJsonAsync<JsonElement>("/api/approval-chains");
        Assert.DoesNotContain(stored.EnumerateArray(), c => c.GetProperty("name").GetString() == name);

        // A keeper configures only their own units' chains; organisation-wide ones are the sysadmin's.
        HttpResponseMessage orgWide = await o.KeeperClient.PutAsJsonAsync($"/api/approval-chains/{name}", new { steps = new[] { PostStep("a", 0) } });
        await OrgWorld.AssertProblemAsync(orgWide, HttpStatusCode.Forbidden, "unit they keep");
    }

    [Fact]
    public async Task Nobody_approves_their_own_application_not_as_the_post_holder_and_not_through_a_delegation()
    {
        ChainOffice o = await ChainOffice.CreateAsync(_org);
        await o.SaveChainAsync(OrgWorld.Unique("self"), [PostStep("town-head", 0)]);

        // The township head applies: the post step passes over them to the county.
        string townHead = o.Heads[o.Township];
        Assert.Equal(HttpStatusCode.Created, (await _org.Admin.PostAsJsonAsync($"/api/org/users/{townHead}/roles", new { role = "applicant", unitId = o.Township })).StatusCode);
        HttpClient townHeadClient = await _org.SignInAsync(townHead);
        JsonElement own = await o.ApplyAsync(client: townHeadClient);
        JsonElement step = own.GetProperty("steps")[0];
        Assert.Equal([o.Heads[o.County]], Strings(step.GetProperty("approvers")));
        Assert.Contains("held only by the applicant", Strings(step.GetProperty("notes")).Single(), StringComparison.Ordinal);

        // The county head lends their approvals to the township head, who then tries to approve their own application.
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await OkAsync(await _org.Admin.PostAsJsonAsync("/api/org/delegations", new { fromLogin = o.Heads[o.County], toLogin = townHead, startsMs = now - 1000, endsMs = now + 86_400_000 }),
            HttpStatusCode.Created);
        string id = own.GetProperty("id").GetString()!;
        await OrgWorld.AssertProblemAsync(await townHeadClient.PostAsJsonAsync($"/api/approvals/{id}/approve", new { }), HttpStatusCode.Forbidden, "may not approve their own application");
        Assert.Equal("pending", (await townHeadClient.GetFromJsonAsync<JsonElement>($"/api/applications/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Contracts_over_an_amount_take_the_chain_that_goes_one_level_higher()
    {
        ChainOffice o = await ChainOffice.CreateAsync(_org);
        await o.SaveChainAsync(OrgWorld.Unique("big-contracts"), [PostStep("town-head", 0), PostStep("city-head", 2)],
            extra: new { purposes = new[] { "contract" }, minAmount = 1_000_000, priority = 10 });
        await o.SaveChainAsync(OrgWorld.Unique("contracts"), [PostStep("town-head", 0), PostStep("county-head", 1)], extra: new { purposes = new[] { "contract" }, priority = 20 });

        JsonElement small = await o.ApplyAsync(Application(o.SealId, "contract", 50_000));
        JsonElement large = await o.ApplyAsync(Application(o.SealId, "contract", 2_000_000));
        Assert.Equal([o.Heads[o.County]], Strings(small.GetProperty("steps")[1].GetProperty("approvers")));
        Assert.Equal([o.Heads[o.City]], Strings(large.GetProperty("steps")[1].GetProperty("approvers")));
        Assert.Equal(2_000_000, large.GetProperty("amount").GetInt64());
    }

    private static Task AssertRefusedAsync(JsonElement problem, string mentions)
    {
        Assert.Contains(mentions, problem.GetProperty("errors").ToString(), StringComparison.Ordinal);
        return Task.CompletedTask;
    }
}
