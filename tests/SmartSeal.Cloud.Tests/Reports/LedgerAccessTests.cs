using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Reports;

/// <summary>Who reads which part of the ledger: auditors and keepers their provinces' chains, sysadmins all, others nothing.</summary>
public class LedgerAccessTests(CloudFactory cloud) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    private static async Task<List<JsonElement>> EntriesAsync(HttpClient client, string query)
    {
        HttpResponseMessage response = await client.GetAsync("/api/ledger?" + query);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
    }

    [Fact]
    public async Task Auditors_and_keepers_read_only_the_chains_of_their_provinces_and_sysadmins_read_all()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        HttpClient gdAuditor = await w.SignInAsync(w.GdAuditor);
        HttpClient zjKeeper = await w.SignInAsync(w.ZjKeeper);

        // The 广东 auditor: the 广东 seal's chain (registration, lifecycle, application steps, stamps, refusal), nothing of 浙江.
        List<JsonElement> gdView = await EntriesAsync(gdAuditor, "limit=1000");
        Assert.Contains(gdView, e => e.GetProperty("sealId").GetString() == w.GdSeal && e.GetProperty("kind").GetString() == "stamp");
        Assert.Contains(gdView, e => e.GetProperty("sealId").GetString() == "org:" + w.City); // the city's organisation chain lies in 广东's subtree
        Assert.DoesNotContain(gdView, e => e.GetProperty("sealId").GetString() is { } s && (s == w.ZjSeal || s == "org:" + w.Zj));
        Assert.Empty(await EntriesAsync(gdAuditor, $"seal={w.ZjSeal}"));

        List<JsonElement> zjView = await EntriesAsync(zjKeeper, "limit=1000");
        Assert.Contains(zjView, e => e.GetProperty("sealId").GetString() == w.ZjSeal);
        Assert.DoesNotContain(zjView, e => e.GetProperty("sealId").GetString() == w.GdSeal);

        // One entry, and verification of one chain: outside the scope is "not found".
        long stampId = w.Stamps[0].Id;
        Assert.Equal(HttpStatusCode.OK, (await gdAuditor.GetAsync($"/api/ledger/{stampId}")).StatusCode);
        await OrgWorld.AssertProblemAsync(await zjKeeper.GetAsync($"/api/ledger/{stampId}"), HttpStatusCode.NotFound, "no ledger entry");
        Assert.True((await gdAuditor.GetFromJsonAsync<JsonElement>($"/api/ledger/verify?seal={w.GdSeal}")).GetProperty("intact").GetBoolean());
        await OrgWorld.AssertProblemAsync(await zjKeeper.GetAsync($"/api/ledger/verify?seal={w.GdSeal}"), HttpStatusCode.NotFound, w.GdSeal);

        // Device chains (remote disable/enable) belong to the device's unit.
        string gdLock = OrgWorld.Unique("lock");
        Assert.Equal(SmartSeal.Cloud.Devices.ProvisionStatus.Ok, (await _cloud.Service<SmartSeal.Cloud.Devices.DeviceProvisioner>().ProvisionAsync(
            new SmartSeal.Cloud.Devices.ProvisionRequest(gdLock, SmartSeal.Cloud.Devices.DeviceKind.Lock, OrgUnit: w.Gd))).Status);
        await _cloud.Service<SmartSeal.Cloud.Ledger.LedgerService>().AppendAsync([new SmartSeal.Cloud.Ledger.LedgerEntry
        {
            SealId = "device:" + gdLock, Kind = "admin", AtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), DeviceId = gdLock, Fields = new Dictionary<string, string> { ["action"] = "disable" },
        }]);
        Assert.Single(await EntriesAsync(gdAuditor, $"seal=device:{gdLock}"));
        Assert.Empty(await EntriesAsync(zjKeeper, $"seal=device:{gdLock}"));

        // Sysadmin (the admin API key) sees both provinces.
        List<JsonElement> all = await EntriesAsync(w.Org.Admin, "limit=1000");
        Assert.Contains(all, e => e.GetProperty("sealId").GetString() == w.GdSeal);
        Assert.Contains(all, e => e.GetProperty("sealId").GetString() == w.ZjSeal);

        // An applicant or approver holds no ledger right at all; exports follow the same rule.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await w.SignInAsync(w.Applicant)).GetAsync("/api/ledger")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await w.SignInAsync(w.Head)).GetAsync("/api/ledger/export.csv")).StatusCode);
        string zjCsv = await zjKeeper.GetStringAsync($"/api/ledger/export.csv?seal={w.GdSeal}");
        Assert.Single(CsvText.Parse(zjCsv.TrimStart('\uFEFF'))); // the header only
    }

    [Fact]
    public async Task The_search_filters_by_unit_person_kind_and_period_and_pages_newest_first()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        HttpClient admin = w.Org.Admin;

        // Person: the applicant owns the stamps and the refusal through the application; the approvers acted on it.
        List<JsonElement> byApplicant = await EntriesAsync(admin, $"person={w.Applicant}&seal={w.GdSeal}");
        Assert.Equal(["refusal", "stamp", "stamp", "application", "application", "application"], byApplicant.Select(e => e.GetProperty("kind").GetString()));
        List<JsonElement> byHead = await EntriesAsync(admin, $"person={w.Head}");
        Assert.Equal(("application", w.Head), (byHead.Single().GetProperty("kind").GetString(), byHead.Single().GetProperty("actor").GetString()));

        // Unit subtree: 浙江 holds its seal's chain only; kind and period narrow further.
        Assert.All(await EntriesAsync(admin, $"unit={w.Zj}"), e => Assert.True(e.GetProperty("sealId").GetString() is { } s && (s == w.ZjSeal || s == "org:" + w.Zj)));
        List<JsonElement> stamps = await EntriesAsync(admin, $"unit={w.Gd}&kind=stamp");
        Assert.Equal(w.Stamps.Select(s => s.Id).Reverse(), stamps.Select(e => e.GetProperty("id").GetInt64()));
        long at = w.Stamps[1].AtMs;
        Assert.Equal([w.Stamps[1].Id], (await EntriesAsync(admin, $"unit={w.Gd}&kind=stamp&from={at}&to={at}")).Select(e => e.GetProperty("id").GetInt64()));

        // Pages: two by two with X-Next-Before-Id until the chain is exhausted.
        var seen = new List<long>();
        string? before = null;
        do
        {
            HttpResponseMessage page = await admin.GetAsync($"/api/ledger?seal={w.GdSeal}&limit=2" + (before is null ? "" : "&beforeId=" + before));
            seen.AddRange((await page.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            before = page.Headers.TryGetValues("X-Next-Before-Id", out IEnumerable<string>? values) ? values.Single() : null;
        }
        while (before is not null);
        List<long> everything = (await EntriesAsync(admin, $"seal={w.GdSeal}&limit=1000")).Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(everything, seen);
        Assert.True(seen.Count >= 7, $"{seen.Count} entries");

        await OrgWorld.AssertProblemAsync(await admin.GetAsync("/api/ledger?from=10&to=5"), HttpStatusCode.BadRequest, "must not be before from");
    }
}
