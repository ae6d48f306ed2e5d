using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmartSeal.CloudBench;

/// <summary>
/// Gives every bench lock what a real one carries on a trip, through the cloud's own API: a seal
/// in use, an approved take-out application (applicant → department head → seal owner) and the
/// use token bound into the lock. The bench's stamps then run the whole domain path — token
/// lookup, reconciliation, and a ledger entry on the seal's hash chain with the application's
/// facts — which is what DESIGN.md's ingest target ("persisted with ledger") means.
/// </summary>
public static class BenchOffice
{
    private const string Password = "Bench-Password-2026";

    /// <summary>Returns each lock's token id.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> SeedAsync(HttpClient admin, IReadOnlyList<string> lockIds, int parallel = 8)
    {
        string province = "bench-prov-" + Guid.NewGuid().ToString("n")[..6];
        string city = province + "-city";
        await OkAsync(admin.PostAsJsonAsync("/api/org/units", new { id = "hq", nameZh = "总部" }), allowConflict: true);
        await OkAsync(admin.PostAsJsonAsync("/api/org/units", new { id = province, parentId = "hq", nameZh = "基准省公司" }));
        await OkAsync(admin.PostAsJsonAsync("/api/org/units", new { id = city, parentId = province, nameZh = "基准市公司" }));
        HttpClient keeper = await PersonAsync(admin, province + "-keeper", province, "keeper");
        HttpClient owner = await PersonAsync(admin, province + "-owner", province, "approver");
        HttpClient head = await PersonAsync(admin, province + "-head", city, "approver");
        HttpClient applicant = await PersonAsync(admin, province + "-applicant", city, "applicant");

        var tokens = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(lockIds.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (l, ct) =>
        {
            string sealId = $"{province}-seal-{l.i:00000}";
            await OkAsync(keeper.PostAsJsonAsync("/api/seals", new { id = sealId, name = "基准合同章", type = "contract", unitId = province, level = 2 }, ct));
            await OkAsync(keeper.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "engrave" }, ct));
            await OkAsync(keeper.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "activate", rfidTag = $"E2{l.i:X14}" }, ct));
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            JsonElement application = await OkAsync(applicant.PostAsJsonAsync("/api/applications", new
            {
                sealId, purpose = "基准测试", documents = new[] { new { name = "合同.pdf", pages = 1 } }, stamps = 10_000, mode = "lock",
                windowFromMs = now - 60_000, windowToMs = now + 86_400_000, urgency = "normal",
            }, ct));
            string applicationId = application.GetProperty("id").GetString()!;
            await OkAsync(head.PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { }, ct));
            await OkAsync(owner.PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { }, ct));
            await OkAsync(keeper.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId = l.id }, ct));
            JsonElement checkout = await OkAsync(keeper.GetAsync($"/api/checkouts/{applicationId}", ct));
            tokens[l.id] = checkout.GetProperty("checkout").GetProperty("tokenId").GetString()!;
        });
        return tokens;
    }

    internal static async Task<HttpClient> PersonAsync(HttpClient admin, string login, string unit, string role)
    {
        await OkAsync(admin.PostAsJsonAsync("/api/org/users", new { login, displayName = login, unitId = unit, post = "基准", password = Password }));
        await OkAsync(admin.PostAsJsonAsync($"/api/org/users/{login}/roles", new { role, unitId = unit }));
        JsonElement signedIn = await OkAsync(admin.PostAsJsonAsync("/api/auth/login", new { login, password = Password }));
        var client = new HttpClient { BaseAddress = admin.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", signedIn.GetProperty("token").GetString());
        return client;
    }

    internal static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> call, bool allowConflict = false)
    {
        HttpResponseMessage response = await call;
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode && !(allowConflict && response.StatusCode == System.Net.HttpStatusCode.Conflict))
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
