using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Portal.Tests.Infrastructure;

/// <summary>
/// A province with an in-use contract seal, its keeper and seal-owner approver, and a city below
/// it with a department head and an applicant: the default two-step chain (department head, then
/// seal owner). Built through the API with the admin key, as in the cloud tests.
/// </summary>
public sealed record PortalWorld(string SealId, string SealName, string Applicant, string Head, string Owner, string Keeper, string Auditor, string Province)
{
    public static async Task<PortalWorld> CreateAsync(OrgWorld org)
    {
        await org.EnsureRootAsync();
        string province = await org.UnitAsync(OrgWorld.Unique("gd"), "hq", "广东省分公司");
        string city = await org.UnitAsync(OrgWorld.Unique("sz"), province, "深圳市分公司");
        string keeper = await org.UserAsync(OrgWorld.Unique("keeper"), province, "keeper");
        string owner = await org.UserAsync(OrgWorld.Unique("owner"), province, "approver");
        string auditor = await org.UserAsync(OrgWorld.Unique("auditor"), province, "auditor");
        string head = await org.UserAsync(OrgWorld.Unique("head"), city, "approver");
        string applicant = await org.UserAsync(OrgWorld.Unique("applicant"), city, "applicant");

        HttpClient keeperClient = await org.SignInAsync(keeper);
        string name = "合同专用章 " + OrgWorld.Unique("c");
        HttpResponseMessage registered = await keeperClient.PostAsJsonAsync("/api/seals", new { name, type = "contract", unitId = province, level = 2 });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        string sealId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await keeperClient.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "engrave" })).StatusCode);
        string tag = "E280" + Guid.NewGuid().ToString("n")[..12].ToUpperInvariant();
        Assert.Equal(HttpStatusCode.OK, (await keeperClient.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "activate", rfidTag = tag })).StatusCode);
        return new PortalWorld(sealId, name, applicant, head, owner, keeper, auditor, province);
    }

    /// <summary>The applicant applies through the API (for tests about what comes after); returns the application id.</summary>
    public async Task<string> ApplyAsync(OrgWorld org, string purpose, string urgency = "normal")
    {
        HttpClient client = await org.SignInAsync(Applicant);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        HttpResponseMessage response = await client.PostAsJsonAsync("/api/applications", new
        {
            sealId = SealId,
            purpose,
            documents = new[] { new { name = "合同.pdf", pages = 4 } },
            stamps = 2,
            mode = "cabinet",
            windowFromMs = now,
            windowToMs = now + 86_400_000,
            urgency,
        });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>An approved take-out in a lock (both approvers approved through the API), so the keeper desk has a row to bind.</summary>
    public async Task<string> ApprovedLockApplicationAsync(OrgWorld org)
    {
        HttpClient applicant = await org.SignInAsync(Applicant);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        HttpResponseMessage applied = await applicant.PostAsJsonAsync("/api/applications", new
        {
            sealId = SealId, purpose = "外带签约", documents = new[] { new { name = "合同.pdf", pages = 2 } }, stamps = 2, mode = "lock",
            location = new { circle = new { lat = 22.541, lon = 114.061, radiusM = 300 } }, windowFromMs = now, windowToMs = now + 86_400_000,
        });
        string id = (await applied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (string approver in new[] { Head, Owner })
        {
            HttpResponseMessage approved = await (await org.SignInAsync(approver)).PostAsJsonAsync($"/api/approvals/{id}/approve", new { });
            Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
        }

        return id;
    }
}
