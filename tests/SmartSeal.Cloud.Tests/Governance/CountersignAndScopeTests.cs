using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using static SmartSeal.Cloud.Tests.Governance.ChainOffice;

namespace SmartSeal.Cloud.Tests.Governance;

/// <summary>Cross-department countersign (会签) end to end, and a seal's scope of authority enforced when applying.</summary>
public class CountersignAndScopeTests : CloudTest<CloudFactory>
{
    private readonly OrgWorld _org;

    public CountersignAndScopeTests(CloudFactory cloud)
        : base(cloud)
    {
        _org = new OrgWorld(cloud);
    }

    private sealed record Departments(ChainOffice Office, string Legal, string Finance, string LegalHead, string FinanceHead);

    private async Task<Departments> DepartmentsAsync(string mode)
    {
        ChainOffice o = await ChainOffice.CreateAsync(_org);
        string legal = await _org.UnitAsync(OrgWorld.Unique("legal"), o.Province, "法律事务部");
        string finance = await _org.UnitAsync(OrgWorld.Unique("finance"), o.Province, "财务部");
        string legalHead = await o.PersonAsync(OrgWorld.Unique("legal-head"), legal, HeadPost);
        string financeHead = await o.PersonAsync(OrgWorld.Unique("finance-head"), finance, HeadPost, "approver");
        await o.SaveChainAsync(OrgWorld.Unique("countersign"),
        [
            PostStep("town-head", 0),
            new { name = "legal-and-finance", kind = "countersign", post = HeadPost, departments = new[] { legal, finance }, mode },
        ]);
        return new Departments(o, legal, finance, legalHead, financeHead);
    }

    private static JsonElement Part(JsonElement application, string unit) =>
        application.GetProperty("steps")[1].GetProperty("parts").EnumerateArray().Single(p => p.GetProperty("unitId").GetString() == unit);

    [Fact]
    public async Task All_of_countersign_waits_for_every_department_and_shows_who_signed_and_who_is_pending()
    {
        Departments d = await DepartmentsAsync("all-of");
        ChainOffice o = d.Office;
        string id = (await o.ApplyAsync()).GetProperty("id").GetString()!;
        await o.DecideAsync(o.Heads[o.Township], id);

        JsonElement afterLegal = await o.DecideAsync(d.LegalHead, id);
        Assert.Equal(("pending", "legal-and-finance"), (afterLegal.GetProperty("status").GetString(), afterLegal.GetProperty("currentStep").GetString()));
        Assert.Equal(d.LegalHead, Part(afterLegal, d.Legal).GetProperty("signedBy").GetString());
        Assert.Equal(JsonValueKind.Null, Part(afterLegal, d.Finance).GetProperty("signedBy").ValueKind);
        Assert.Equal([d.FinanceHead], Strings(afterLegal.GetProperty("heldBy")));

        // The same person signing again is refused, and nothing changes.
        await OrgWorld.AssertProblemAsync(await (await _org.SignInAsync(d.LegalHead)).PostAsJsonAsync($"/api/approvals/{id}/approve", new { }), HttpStatusCode.Conflict, "already countersigned");

        JsonElement approved = await o.DecideAsync(d.FinanceHead, id);
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Equal(d.FinanceHead, Part(approved, d.Finance).GetProperty("signedBy").GetString());
    }

    [Fact]
    public async Task Any_of_countersign_is_carried_by_one_department()
    {
        Departments d = await DepartmentsAsync("any-of");
        ChainOffice o = d.Office;
        string id = (await o.ApplyAsync()).GetProperty("id").GetString()!;
        await o.DecideAsync(o.Heads[o.Township], id);
        Assert.Equal("approved", (await o.DecideAsync(d.FinanceHead, id)).GetProperty("status").GetString());
        await OrgWorld.AssertProblemAsync(await (await _org.SignInAsync(d.LegalHead)).PostAsJsonAsync($"/api/approvals/{id}/approve", new { }), HttpStatusCode.Conflict, "approved");
    }

    [Fact]
    public async Task One_person_cannot_sign_for_two_departments_even_through_a_delegation()
    {
        Departments d = await DepartmentsAsync("all-of");
        ChainOffice o = d.Office;
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await OkAsync(await _org.Admin.PostAsJsonAsync("/api/org/delegations", new { fromLogin = d.FinanceHead, toLogin = d.LegalHead, startsMs = now - 1000, endsMs = now + 86_400_000 }),
            HttpStatusCode.Created);
        string id = (await o.ApplyAsync()).GetProperty("id").GetString()!;
        await o.DecideAsync(o.Heads[o.Township], id);
        await o.DecideAsync(d.LegalHead, id);

        await OrgWorld.AssertProblemAsync(await (await _org.SignInAsync(d.LegalHead)).PostAsJsonAsync($"/api/approvals/{id}/approve", new { }), HttpStatusCode.Conflict, "already countersigned");
        JsonElement view = await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/applications/{id}");
        Assert.Equal(JsonValueKind.Null, Part(view, d.Finance).GetProperty("signedBy").ValueKind);
    }

    [Fact]
    public async Task The_api_refuses_an_application_outside_the_seals_scope_with_the_reason_and_an_authorisation_document_admits_it()
    {
        ChainOffice o = await ChainOffice.CreateAsync(_org);
        string financeSeal = await SealAsync(o.KeeperClient, o.Province, "finance");
        await o.SaveChainAsync(OrgWorld.Unique("heads"), [PostStep("town-head", 0)], extra: new { sealTypes = new[] { "contract", "finance" } });
        await OkAsync(await o.KeeperClient.PutAsJsonAsync($"/api/seal-scopes/{financeSeal}", new { purposes = new[] { "finance" }, documentTypes = new[] { "invoice", "contract" } }));

        JsonElement outside = await OrgWorld.AssertProblemAsync(
            await o.ApplicantClient.PostAsJsonAsync("/api/applications", Application(financeSeal, "contract")), HttpStatusCode.Forbidden, "outside its scope");
        Assert.Contains("serves only finance", outside.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await OrgWorld.AssertProblemAsync(
            await o.ApplicantClient.PostAsJsonAsync("/api/applications", Application(financeSeal, "finance", documentType: "lease")), HttpStatusCode.Forbidden, "only documents of type");
        Assert.Empty((await o.ApplicantClient.GetFromJsonAsync<JsonElement>("/api/applications/mine")).EnumerateArray());

        JsonElement inScope = await o.ApplyAsync(Application(financeSeal, "finance", documentType: "invoice"));
        Assert.Equal("finance", inScope.GetProperty("category").GetString());
        JsonElement authorised = await o.ApplyAsync(Application(financeSeal, "contract", authorisation: "授权书 2026-017"));
        string id = authorised.GetProperty("id").GetString()!;
        JsonElement ledger = await _org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={financeSeal}&application={id}&kind=application");
        Assert.Equal("授权书 2026-017", ledger.EnumerateArray().Single().GetProperty("fields").GetProperty("authorisation").GetString());
    }

    [Fact]
    public async Task Who_may_apply_is_enforced_and_no_authorisation_document_overrides_it()
    {
        ChainOffice o = await ChainOffice.CreateAsync(_org);
        await o.SaveChainAsync(OrgWorld.Unique("heads"), [PostStep("town-head", 0)]);
        await OkAsync(await o.KeeperClient.PutAsJsonAsync($"/api/seal-scopes/{o.SealId}", new { units = new[] { o.City }, posts = new[] { "合同管理员" } }));
        await OrgWorld.AssertProblemAsync(
            await o.ApplicantClient.PostAsJsonAsync("/api/applications", Application(o.SealId, authorisation: "授权书")), HttpStatusCode.Forbidden, "only by posts 合同管理员");

        string clerk = await o.PersonAsync(OrgWorld.Unique("contracts"), o.County, "合同管理员", "applicant");
        JsonElement ok = await o.ApplyAsync(client: await _org.SignInAsync(clerk));
        Assert.Equal("pending", ok.GetProperty("status").GetString());

        JsonElement scope = await o.ApplicantClient.GetFromJsonAsync<JsonElement>($"/api/seal-scopes/{o.SealId}");
        Assert.Equal([o.City], Strings(scope.GetProperty("units")));
        await OrgWorld.AssertProblemAsync(await o.KeeperClient.PutAsJsonAsync($"/api/seal-scopes/{o.SealId}", new { units = new[] { "no-such-unit" } }), HttpStatusCode.BadRequest, "no unit");
    }
}
