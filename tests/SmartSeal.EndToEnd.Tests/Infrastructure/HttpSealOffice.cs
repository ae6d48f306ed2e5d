using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The <see cref="SealOffice"/> of Cloud.Tests, set up over plain HTTP against a cloud that runs as
/// its own process (the admin API key creates units and users; the keeper registers the seal).
/// </summary>
public static class HttpSealOffice
{
    public static async Task<SealOffice> CreateAsync(CloudProcess cloud)
    {
        using HttpClient admin = cloud.AdminClient();
        HttpResponseMessage root = await admin.PostAsJsonAsync("/api/org/units", new { id = "hq", nameZh = "总部" });
        Assert.True(root.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await root.Content.ReadAsStringAsync());
        string province = await UnitAsync(admin, OrgWorld.Unique("gd"), "hq");
        string city = await UnitAsync(admin, OrgWorld.Unique("sz"), province);
        string keeper = await UserAsync(admin, OrgWorld.Unique("keeper"), province, "keeper");
        string owner = await UserAsync(admin, OrgWorld.Unique("owner"), province, "approver");
        string head = await UserAsync(admin, OrgWorld.Unique("head"), city, "approver");
        string applicant = await UserAsync(admin, OrgWorld.Unique("applicant"), city, "applicant");
        HttpClient keeperClient = await SignInAsync(cloud, keeper);

        HttpResponseMessage registered = await keeperClient.PostAsJsonAsync("/api/seals", new { name = "合同专用章", type = "contract", unitId = province, level = 2 });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        string sealId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await keeperClient.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "engrave" })).StatusCode);
        string tag = "E280" + Guid.NewGuid().ToString("n")[..12].ToUpperInvariant();
        Assert.Equal(HttpStatusCode.OK, (await keeperClient.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "activate", rfidTag = tag })).StatusCode);
        return new SealOffice(sealId, tag, province, city, keeper, applicant, head, owner, keeperClient,
            await SignInAsync(cloud, applicant), await SignInAsync(cloud, head), await SignInAsync(cloud, owner));
    }

    /// <summary>Registers a lock over the API; returns its key (shown once).</summary>
    public static async Task<byte[]> ProvisionLockAsync(CloudProcess cloud, string lockId)
    {
        using HttpClient admin = cloud.AdminClient();
        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/devices", new { deviceId = lockId, kind = "lock" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return Convert.FromHexString((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keyHex").GetString()!);
    }

    private static async Task<string> UnitAsync(HttpClient admin, string id, string parent)
    {
        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/org/units", new { id, parentId = parent, nameZh = "分公司" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    private static async Task<string> UserAsync(HttpClient admin, string login, string unit, string role)
    {
        HttpResponseMessage created = await admin.PostAsJsonAsync("/api/org/users", new { login, displayName = "用户 " + login, unitId = unit, post = "职员", password = OrgWorld.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/org/users/{login}/roles", new { role, unitId = unit })).StatusCode);
        return login;
    }

    private static async Task<HttpClient> SignInAsync(CloudProcess cloud, string login)
    {
        var client = new HttpClient { BaseAddress = new Uri(cloud.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        HttpResponseMessage response = await client.PostAsJsonAsync("/api/auth/login", new { login, password = OrgWorld.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        return client;
    }

    /// <summary>The same people and bearer tokens, against a restarted process (tokens are stored, so they survive).</summary>
    public static SealOffice Rebind(SealOffice office, CloudProcess cloud) => office with
    {
        KeeperClient = Client(cloud, office.KeeperClient),
        ApplicantClient = Client(cloud, office.ApplicantClient),
        HeadClient = Client(cloud, office.HeadClient),
        OwnerClient = Client(cloud, office.OwnerClient),
    };

    private static HttpClient Client(CloudProcess cloud, HttpClient before)
    {
        var client = new HttpClient { BaseAddress = new Uri(cloud.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = before.DefaultRequestHeaders.Authorization;
        return client;
    }
}
