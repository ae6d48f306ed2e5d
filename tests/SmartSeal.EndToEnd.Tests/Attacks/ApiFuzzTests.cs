using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Fuzz;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmartSeal.EndToEnd.Tests.Attacks;

/// <summary>
/// Bounded fuzzing of the HTTP API with signed-in callers (admin, keeper, applicant, approver):
/// every write endpoint gets its well-formed body mutated (values, types, keys, size, nesting) or
/// replaced by broken JSON, and ids in paths and queries are swapped for hostile strings. The cloud
/// must answer each with a 2xx or a 4xx — never a 5xx — and log no error.
/// </summary>
[Trait("Category", "Fuzz")]
public class ApiFuzzTests : CloudTest<E2eCloudFactory>
{
    private readonly E2eCloudFactory _cloud;
    private readonly ITestOutputHelper _output;

    public ApiFuzzTests(E2eCloudFactory cloud, ITestOutputHelper output)
        : base(cloud)
    {
        _cloud = cloud;
        _output = output;
    }

    [Fact]
    public async Task Mutated_requests_to_every_write_endpoint_get_a_2xx_or_4xx_and_never_a_server_error()
    {
        var mission = new Mission(_cloud);
        SealOffice office = await mission.OfficeAsync();
        string lockId = OrgWorld.Unique("lock");
        await _cloud.ProvisionAsync(lockId);
        string applicationId = await office.ApprovedApplicationAsync(Mission.Request(office.SealId, "lock", 2));
        HttpClient admin = _cloud.AdminClient();
        HttpClient anonymous = _cloud.CreateClient();
        var fuzz = new Mutator(FuzzBudget.Seed);
        _output.WriteLine($"seed {FuzzBudget.Seed} (replay: SMARTSEAL_FUZZ_SEED={FuzzBudget.Seed})");

        var targets = new (HttpClient Client, HttpMethod Method, string Path, JsonNode? Body)[]
        {
            (anonymous, HttpMethod.Post, "/api/auth/login", Json(new { login = "nobody", password = "Wrong-password-1" })),
            (admin, HttpMethod.Post, "/api/org/units", Json(new { id = "u-x", parentId = office.Province, nameZh = "单位" })),
            (admin, HttpMethod.Post, "/api/org/users/{login}/roles", Json(new { role = "keeper", unitId = office.City })),
            (admin, HttpMethod.Put, "/api/org/users/{login}/active", Json(new { active = true })),
            (admin, HttpMethod.Post, "/api/org/delegations", Json(new { from = office.Head, to = office.Owner, fromMs = 0, toMs = 1 })),
            (office.KeeperClient, HttpMethod.Post, "/api/seals", Json(new { name = "章", type = "contract", unitId = office.Province, level = 2 })),
            (office.KeeperClient, HttpMethod.Post, "/api/seals/{seal}/transitions", Json(new { action = "suspend", reason = "x", rfidTag = "E2800000000000AA" })),
            (office.KeeperClient, HttpMethod.Post, "/api/seals/{seal}/custody", Json(new { to = office.Keeper, reason = "x" })),
            (office.KeeperClient, HttpMethod.Post, "/api/seals/{seal}/stow", Json(new { cabinetId = "cab-x", compartment = 1 })),
            (office.KeeperClient, HttpMethod.Post, "/api/seals/{seal}/disable", Json(new { reason = "x" })),
            (office.ApplicantClient, HttpMethod.Post, "/api/applications", Json(Mission.Request(office.SealId, "lock", 2))),
            (office.HeadClient, HttpMethod.Post, "/api/approvals/{app}/approve", Json(new { comment = "同意" })),
            (office.HeadClient, HttpMethod.Post, "/api/approvals/batch-approve", Json(new { ids = new[] { applicationId }, comment = "x" })),
            (office.KeeperClient, HttpMethod.Post, "/api/checkouts/{app}/bind", Json(new { lockId, tag = office.Tag })),
            (office.KeeperClient, HttpMethod.Post, "/api/checkouts/{app}/revoke", Json(new { reason = "x" })),
            (office.KeeperClient, HttpMethod.Post, "/api/checkouts/{app}/return", Json(new { })),
            (admin, HttpMethod.Post, "/api/devices", Json(new { deviceId = "lock-fz", kind = "lock", compartments = 0 })),
            (admin, HttpMethod.Post, "/api/devices/{device}/commands", Json(new { type = "locate", body = new { }, ttlSeconds = 60 })),
            (admin, HttpMethod.Put, "/api/devices/{device}/desired-state", Json(new { enabled = true, reason = "x" })),
            (admin, HttpMethod.Post, "/api/devices/{device}/disable", Json(new { reason = "x", ttlSeconds = 60 })),
            (admin, HttpMethod.Post, "/api/alarms/1/acknowledge", Json(new { comment = "x" })),
            (admin, HttpMethod.Post, "/api/inventory-checks", Json(new { unitId = office.Province })),
            (admin, HttpMethod.Get, "/api/ledger?seal={seal}&limit=10&from=0", null),
            (admin, HttpMethod.Get, "/api/alarms?device={device}&page=1&pageSize=10", null),
            (admin, HttpMethod.Get, "/api/devices/{device}/track?from=0&to=1", null),
            (admin, HttpMethod.Get, "/api/photos/devices/{device}/{seal}", null),
        };
        // (A NUL in the path is refused by the in-process test server itself; the real server's answer is in KestrelAttackTests.)
        string[] hostileIds = ["..", "../../etc/passwd", "%2e%2e%2f%2e%2e%2f", "x'; DROP TABLE seals;--", new string('z', 5000), "印章", "%00", "null", "-1", "1e400", " ", "a/b"];

        var statuses = new Dictionary<int, int>();
        int requests = 0;
        DateTime until = DateTime.UtcNow + FuzzBudget.Share(0.35);
        while (DateTime.UtcNow < until)
        {
            (HttpClient client, HttpMethod method, string template, JsonNode? body) = fuzz.Pick(targets);
            bool hostilePath = fuzz.Next(4) == 0;
            string Id(string real) => hostilePath ? Uri.EscapeDataString(fuzz.Pick(hostileIds)) : real;
            string path = template.Replace("{seal}", Id(office.SealId), StringComparison.Ordinal).Replace("{app}", Id(applicationId), StringComparison.Ordinal)
                .Replace("{device}", Id(lockId), StringComparison.Ordinal).Replace("{login}", Id(office.Applicant), StringComparison.Ordinal);
            if (method == HttpMethod.Get && fuzz.Next(2) == 0)
            {
                path += "&limit=" + Uri.EscapeDataString(fuzz.Nasty()?.ToJsonString() ?? "null");
            }

            using var request = new HttpRequestMessage(method, path);
            if (body != null)
            {
                byte[] content = fuzz.Next(10) < 7 ? Encoding.UTF8.GetBytes(fuzz.Mutate(body)?.ToJsonString() ?? "null") : fuzz.MutateText(body.ToJsonString());
                request.Content = new ByteArrayContent(content);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(fuzz.Next(12) == 0 ? "text/plain" : "application/json");
            }

            using HttpResponseMessage response = await client.SendAsync(request);
            int status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            requests++;
            Assert.True(status < 500, $"{method} {path} answered {status}: {await response.Content.ReadAsStringAsync()}");
        }

        string table = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        _output.WriteLine($"{requests} requests to {targets.Length} endpoints; statuses {table}; 5xx: 0");
        Assert.True(statuses.Where(s => s.Key is >= 400 and < 500).Sum(s => s.Value) > requests / 2, table);
        _cloud.AssertNoErrors();
    }

    private static JsonNode Json(object value) => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(value))!;
}
