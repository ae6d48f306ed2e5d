using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmartSeal.Cloud.Tests.Organisation;

/// <summary>
/// A province owning an in-use contract seal with an RFID tag (keeper and seal-owner approver on
/// the province) and a city under it with a department head (approver) and an applicant: the
/// smallest seal office in which an application goes through the default two-step chain.
/// </summary>
public sealed record SealOffice(string SealId, string Tag, string Province, string City, string Keeper, string Applicant, string Head, string Owner,
    HttpClient KeeperClient, HttpClient ApplicantClient, HttpClient HeadClient, HttpClient OwnerClient)
{
    public static async Task<SealOffice> CreateAsync(OrgWorld org)
    {
        await org.EnsureRootAsync();
        string province = await org.UnitAsync(OrgWorld.Unique("gd"), "hq", "广东省分公司");
        string city = await org.UnitAsync(OrgWorld.Unique("sz"), province, "深圳市分公司");
        string keeper = await org.UserAsync(OrgWorld.Unique("keeper"), province, "keeper");
        string owner = await org.UserAsync(OrgWorld.Unique("owner"), province, "approver");
        string head = await org.UserAsync(OrgWorld.Unique("head"), city, "approver");
        string applicant = await org.UserAsync(OrgWorld.Unique("applicant"), city, "applicant");
        HttpClient keeperClient = await org.SignInAsync(keeper);

        HttpResponseMessage registered = await keeperClient.PostAsJsonAsync("/api/seals", new { name = "合同专用章", type = "contract", unitId = province, level = 2 });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        string sealId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await keeperClient.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "engrave" })).StatusCode);
        string tag = "E280" + Guid.NewGuid().ToString("n")[..12].ToUpperInvariant();
        Assert.Equal(HttpStatusCode.OK, (await keeperClient.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "activate", rfidTag = tag })).StatusCode);
        return new SealOffice(sealId, tag, province, city, keeper, applicant, head, owner, keeperClient,
            await org.SignInAsync(applicant), await org.SignInAsync(head), await org.SignInAsync(owner));
    }

    /// <summary>Submits an application and has both steps approve it; returns its id.</summary>
    public async Task<string> ApprovedApplicationAsync(object request)
    {
        HttpResponseMessage submitted = await ApplicantClient.PostAsJsonAsync("/api/applications", request);
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        string id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (HttpClient approver in new[] { HeadClient, OwnerClient })
        {
            HttpResponseMessage decided = await approver.PostAsJsonAsync($"/api/approvals/{id}/approve", new { comment = "同意" });
            Assert.True(decided.StatusCode == HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        }

        return id;
    }
}
