using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Governance;

/// <summary>
/// A four-level line of the tree for routing tests: province → city → county → township, each with
/// its own head (post 负责人) where asked, a keeper on the province owning an in-use contract seal,
/// and an applicant (post 职员) in the township. Built through the admin API like <see cref="SealOffice"/>.
/// </summary>
public sealed class ChainOffice
{
    public const string HeadPost = "负责人";

    private ChainOffice(OrgWorld org) => Org = org;

    public OrgWorld Org { get; }

    public string Province { get; private set; } = "";

    public string City { get; private set; } = "";

    public string County { get; private set; } = "";

    public string Township { get; private set; } = "";

    public string SealId { get; private set; } = "";

    public string Applicant { get; private set; } = "";

    public HttpClient ApplicantClient { get; private set; } = null!;

    public HttpClient KeeperClient { get; private set; } = null!;

    public string Keeper { get; private set; } = "";

    /// <summary>Head (负责人) logins by unit id.</summary>
    public Dictionary<string, string> Heads { get; } = [];

    /// <param name="vacant">Units whose head post nobody holds.</param>
    public static async Task<ChainOffice> CreateAsync(OrgWorld org, params string[] vacant)
    {
        var o = new ChainOffice(org);
        await org.EnsureRootAsync();
        o.Province = await org.UnitAsync(OrgWorld.Unique("prov"), "hq", "省公司");
        o.City = await org.UnitAsync(OrgWorld.Unique("city"), o.Province, "市公司");
        o.County = await org.UnitAsync(OrgWorld.Unique("county"), o.City, "县公司");
        o.Township = await org.UnitAsync(OrgWorld.Unique("town"), o.County, "乡镇供电所");
        o.Keeper = await org.UserAsync(OrgWorld.Unique("keeper"), o.Province, "keeper");
        o.KeeperClient = await org.SignInAsync(o.Keeper);
        foreach ((string unit, string level) in new[] { (o.Province, "province"), (o.City, "city"), (o.County, "county"), (o.Township, "town") })
        {
            if (!vacant.Contains(level))
            {
                o.Heads[unit] = await o.PersonAsync(OrgWorld.Unique("head-" + level), unit, HeadPost, "approver");
            }
        }

        o.Applicant = await o.PersonAsync(OrgWorld.Unique("clerk"), o.Township, "职员", "applicant");
        o.ApplicantClient = await org.SignInAsync(o.Applicant);
        o.SealId = await SealAsync(o.KeeperClient, o.Province, "contract");
        return o;
    }

    /// <summary>A user of <paramref name="unit"/> holding <paramref name="post"/> and the roles given (on that unit).</summary>
    public async Task<string> PersonAsync(string login, string unit, string post, params string[] roles)
    {
        HttpResponseMessage created = await Org.Admin.PostAsJsonAsync("/api/org/users", new { login, displayName = "用户 " + login, unitId = unit, post, password = OrgWorld.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        foreach (string role in roles)
        {
            Assert.Equal(HttpStatusCode.Created, (await Org.Admin.PostAsJsonAsync($"/api/org/users/{login}/roles", new { role, unitId = unit })).StatusCode);
        }

        return login;
    }

    public static async Task<string> SealAsync(HttpClient keeper, string unit, string type)
    {
        HttpResponseMessage registered = await keeper.PostAsJsonAsync("/api/seals", new { name = type + "章", type, unitId = unit, level = 2 });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        string sealId = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await keeper.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "engrave" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keeper.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "activate", rfidTag = "E280" + Guid.NewGuid().ToString("n")[..12].ToUpperInvariant() })).StatusCode);
        return sealId;
    }

    /// <summary>A chain of this office's province (so other tests' applications never meet it), stored by its keeper.</summary>
    public async Task<JsonElement> SaveChainAsync(string name, object[] steps, HttpStatusCode expected = HttpStatusCode.OK, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["unitId"] = Province, ["sealTypes"] = new[] { "contract" }, ["steps"] = steps };
        if (extra is not null)
        {
            foreach (System.Reflection.PropertyInfo p in extra.GetType().GetProperties())
            {
                body[p.Name] = p.GetValue(extra);
            }
        }

        HttpResponseMessage response = await KeeperClient.PutAsJsonAsync($"/api/approval-chains/{name}", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static object PostStep(string name, int up, string post = HeadPost) => new { name, kind = "post", post, up };

    public static object Application(string sealId, string? category = null, long? amount = null, string? authorisation = null, string documentType = "contract", string urgency = "normal")
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new
        {
            sealId, purpose = "签订合同", documents = new[] { new { name = "合同.pdf", pages = 3, type = documentType } }, stamps = 1, mode = "cabinet",
            windowFromMs = now, windowToMs = now + 30L * 86_400_000, urgency, category, amount, authorisation,
        };
    }

    public async Task<JsonElement> ApplyAsync(object? request = null, HttpClient? client = null)
    {
        HttpResponseMessage response = await (client ?? ApplicantClient).PostAsJsonAsync("/api/applications", request ?? Application(SealId));
        return await OkAsync(response, HttpStatusCode.Created);
    }

    public async Task<JsonElement> DecideAsync(string login, string id, string decision = "approve", HttpStatusCode expected = HttpStatusCode.OK)
    {
        HttpClient client = await Org.SignInAsync(login);
        return await OkAsync(await client.PostAsJsonAsync($"/api/approvals/{id}/{decision}", new { comment = "同意" }), expected);
    }

    public static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
