using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Checkouts;
using SmartSeal.Cloud.Tests.Documents;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>The starting point of the e-sealing tests, built through the API.</summary>
public static class ESealWorld
{
    /// <summary>A seal office whose contract seal has a recorded electronic twin, and an approved electronic application with the contract uploaded.</summary>
    public static async Task<(SealOffice Office, string ApplicationId, string DocumentId)> ApprovedAsync(OrgWorld org, byte[] document, int stamps = 1)
    {
        SealOffice office = await SealOffice.CreateAsync(org);
        Assert.Equal(HttpStatusCode.Created, (await office.KeeperClient.PostAsync($"/api/seals/{office.SealId}/e-seal", null)).StatusCode);
        foreach (string action in new[] { "make", "record" })
        {
            HttpResponseMessage done = await office.KeeperClient.PostAsJsonAsync($"/api/seals/{office.SealId}/e-seal/transitions", new { action });
            Assert.True(done.StatusCode == HttpStatusCode.OK, await done.Content.ReadAsStringAsync());
        }

        HttpResponseMessage submitted = await office.ApplicantClient.PostAsJsonAsync("/api/applications", CheckoutEndToEndTests.Request(office.SealId, "electronic", stamps));
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        string applicationId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        HttpResponseMessage uploaded = await DocumentWorld.UploadAsync(office.ApplicantClient, applicationId, document);
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync());
        string documentId = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (HttpClient approver in new[] { office.HeadClient, office.OwnerClient })
        {
            HttpResponseMessage decided = await approver.PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { comment = "同意" });
            Assert.True(decided.StatusCode == HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        }

        return (office, applicationId, documentId);
    }
}
