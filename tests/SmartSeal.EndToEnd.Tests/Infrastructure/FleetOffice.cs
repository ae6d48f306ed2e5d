using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>One lock's trip as the cloud issued it: the seal bound into it, its application and the use token it stamps under.</summary>
public sealed record FleetTrip(string LockId, string SealId, string ApplicationId, string TokenId);

/// <summary>
/// Gives every lock of a fleet a real trip through the cloud's API, as people would: a seal
/// registered and activated by the keeper, a take-out application approved by the department
/// head and the seal owner, and the seal bound into the lock (which issues its use token). Stamps
/// under these tokens run the whole domain path: token reconciliation and a hash-chained ledger
/// entry on the seal's chain.
/// </summary>
public static class FleetOffice
{
    public static async Task<IReadOnlyDictionary<string, FleetTrip>> SeedAsync(string baseUrl, HttpClient admin, IReadOnlyList<string> lockIds, int stampsEach, int parallel = 8)
    {
        HttpResponseMessage root = await admin.PostAsJsonAsync("/api/org/units", new { id = "hq", nameZh = "总部" });
        Assert.True(root.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await root.Content.ReadAsStringAsync());
        string province = OrgWorld.Unique("fleet");
        string city = province + "-c";
        await OkAsync(admin.PostAsJsonAsync("/api/org/units", new { id = province, parentId = "hq", nameZh = "车队省公司" }));
        await OkAsync(admin.PostAsJsonAsync("/api/org/units", new { id = city, parentId = province, nameZh = "车队市公司" }));
        HttpClient keeper = await PersonAsync(baseUrl, admin, province + "-keeper", province, "keeper");
        HttpClient owner = await PersonAsync(baseUrl, admin, province + "-owner", province, "approver");
        HttpClient head = await PersonAsync(baseUrl, admin, province + "-head", city, "approver");
        HttpClient applicant = await PersonAsync(baseUrl, admin, province + "-applicant", city, "applicant");

        var trips = new ConcurrentDictionary<string, FleetTrip>();
        await Parallel.ForEachAsync(lockIds.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (l, ct) =>
        {
            string sealId = $"{province}-seal-{l.i:00000}";
            await OkAsync(keeper.PostAsJsonAsync("/api/seals", new { id = sealId, name = "合同专用章", type = "contract", unitId = province, level = 2 }, ct));
            await OkAsync(keeper.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "engrave" }, ct));
            await OkAsync(keeper.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "activate", rfidTag = $"E2F{l.i:X13}" }, ct));
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            JsonElement application = await OkAsync(applicant.PostAsJsonAsync("/api/applications", new
            {
                sealId, purpose = "签订采购合同", documents = new[] { new { name = "采购合同.pdf", pages = 2 } }, stamps = stampsEach, mode = "lock",
                windowFromMs = now - 60_000, windowToMs = now + 86_400_000, urgency = "normal",
            }, ct));
            string applicationId = application.GetProperty("id").GetString()!;
            await OkAsync(head.PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { }, ct));
            await OkAsync(owner.PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { }, ct));
            await OkAsync(keeper.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId = l.id }, ct));
            JsonElement checkout = await OkAsync(keeper.GetAsync($"/api/checkouts/{applicationId}", ct));
            trips[l.id] = new FleetTrip(l.id, sealId, applicationId, checkout.GetProperty("checkout").GetProperty("tokenId").GetString()!);
        });
        return trips;
    }

    private static async Task<HttpClient> PersonAsync(string baseUrl, HttpClient admin, string login, string unit, string role)
    {
        await OkAsync(admin.PostAsJsonAsync("/api/org/users", new { login, displayName = "用户 " + login, unitId = unit, post = "职员", password = OrgWorld.Password }));
        await OkAsync(admin.PostAsJsonAsync($"/api/org/users/{login}/roles", new { role, unitId = unit }));
        var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        JsonElement signedIn = await OkAsync(client.PostAsJsonAsync("/api/auth/login", new { login, password = OrgWorld.Password }));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", signedIn.GetProperty("token").GetString());
        return client;
    }

    private static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> call)
    {
        HttpResponseMessage response = await call;
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
