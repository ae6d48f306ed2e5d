using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Organisation;

/// <summary>
/// Builds organisations through the API as the admin API key would (units, users, roles) and
/// signs users in. Every test gets its own province under the shared root "hq", so tests sharing
/// one cloud do not see each other's seals.
/// </summary>
public sealed class OrgWorld(CloudFactory cloud)
{
    public const string Password = "Correct-Horse-42";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public HttpClient Admin { get; } = cloud.AdminClient();

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("n")[..6];

    public async Task EnsureRootAsync()
    {
        HttpResponseMessage response = await Admin.PostAsJsonAsync("/api/org/units", new { id = "hq", nameZh = "总部", nameEn = "Headquarters" });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }

    public async Task<string> UnitAsync(string id, string parent, string nameZh = "分公司")
    {
        HttpResponseMessage response = await Admin.PostAsJsonAsync("/api/org/units", new { id, parentId = parent, nameZh });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return id;
    }

    /// <summary>A user of <paramref name="unit"/> holding each role on that unit.</summary>
    public async Task<string> UserAsync(string login, string unit, params string[] roles)
    {
        HttpResponseMessage created = await Admin.PostAsJsonAsync("/api/org/users", new { login, displayName = "用户 " + login, unitId = unit, post = "印章管理员", password = Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        foreach (string role in roles)
        {
            HttpResponseMessage granted = await Admin.PostAsJsonAsync($"/api/org/users/{login}/roles", new { role, unitId = unit });
            Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        }

        return login;
    }

    public async Task<HttpResponseMessage> LoginAsync(string login, string password) =>
        await cloud.CreateClient().PostAsJsonAsync("/api/auth/login", new { login, password });

    /// <summary>A client carrying the user's bearer token.</summary>
    public async Task<HttpClient> SignInAsync(string login, string password = Password)
    {
        HttpResponseMessage response = await LoginAsync(login, password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();
        string token = body.GetProperty("token").GetString()!;
        Assert.StartsWith("sst_", token, StringComparison.Ordinal);
        HttpClient client = cloud.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A company seal of <paramref name="unit"/> registered, engraved and activated (in use) by <paramref name="keeper"/>, with a fresh RFID tag.</summary>
    public static async Task<string> SealInUseAsync(HttpClient keeper, string unit, string name = "公章")
    {
        HttpResponseMessage registered = await keeper.PostAsJsonAsync("/api/seals", new { name, type = "company", unitId = unit, level = 1 });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        string sealId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await keeper.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "engrave" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keeper.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "activate", rfidTag = "E28" + Guid.NewGuid().ToString("n")[..13] })).StatusCode);
        return sealId;
    }

    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {text}");
        Assert.Contains(mentions, text, StringComparison.Ordinal);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }
}
