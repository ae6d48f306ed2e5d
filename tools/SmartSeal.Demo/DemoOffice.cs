using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace SmartSeal.Demo;

/// <summary>One person of the demo office: sign-in, name, post, what they do.</summary>
internal sealed record DemoPerson(string Login, string Name, string Unit, string Post, string Role, string Does);

/// <summary>A seal of the demo office with its RFID tag.</summary>
internal sealed record DemoSeal(string Id, string Name, string Type, string Tag);

/// <summary>
/// Seeds the demo's organisation through the cloud's own API, idempotently (a second run finds it
/// there): 总部 → 广东省分公司 → 深圳市分公司, a keeper, two approvers (the city's department head
/// and the province's seal owner, the default two-step chain), an applicant, an auditor, and two
/// seals in use with RFID tags.
/// </summary>
internal static class DemoOffice
{
    public const string Password = "SmartSeal-Demo-2026";
    public const string Province = "gd";
    public const string City = "gd-sz";

    public static readonly DemoPerson Keeper = new("wangfang", "王芳", Province, "印章管理员", "keeper", "stows seals, binds them into locks, disables remotely");
    public static readonly DemoPerson Owner = new("liqiang", "李强", Province, "法务部负责人", "approver", "approves as the seal owner (step 2)");
    public static readonly DemoPerson Auditor = new("zhaomin", "赵敏", Province, "审计专员", "auditor", "reads the ledger, verifies, exports");
    public static readonly DemoPerson Head = new("chenjing", "陈静", City, "部门负责人", "approver", "approves as department head (step 1)");
    public static readonly DemoPerson Applicant = new("zhangwei", "张伟", City, "采购专员", "applicant", "applies, collects at the cabinet, stamps with the lock");

    public static readonly DemoPerson[] People = [Keeper, Owner, Auditor, Head, Applicant];

    public static readonly DemoSeal ContractSeal = new("gd-contract", "广东省分公司合同专用章", "contract", "E28011700000020A1B2C3D01");
    public static readonly DemoSeal FinanceSeal = new("gd-finance", "广东省分公司财务专用章", "finance", "E28011700000020A1B2C3D02");

    public static async Task SeedAsync(HttpClient admin, CancellationToken cancellationToken)
    {
        await CreateAsync(admin, "/api/org/units", new { id = "hq", nameZh = "总部", nameEn = "Headquarters" }, cancellationToken);
        await CreateAsync(admin, "/api/org/units", new { id = Province, parentId = "hq", nameZh = "广东省分公司", nameEn = "Guangdong Branch" }, cancellationToken);
        await CreateAsync(admin, "/api/org/units", new { id = City, parentId = Province, nameZh = "深圳市分公司", nameEn = "Shenzhen Branch" }, cancellationToken);
        foreach (DemoPerson p in People)
        {
            await CreateAsync(admin, "/api/org/users", new { login = p.Login, displayName = p.Name, unitId = p.Unit, post = p.Post, password = Password }, cancellationToken);
            await CreateAsync(admin, $"/api/org/users/{p.Login}/roles", new { role = p.Role, unitId = p.Unit }, cancellationToken);
        }

        foreach (DemoSeal seal in new[] { ContractSeal, FinanceSeal })
        {
            await CreateAsync(admin, "/api/seals", new { id = seal.Id, name = seal.Name, type = seal.Type, unitId = Province, level = 2, custodian = Keeper.Login }, cancellationToken);
            await CreateAsync(admin, $"/api/seals/{seal.Id}/transitions", new { action = "engrave" }, cancellationToken);
            await CreateAsync(admin, $"/api/seals/{seal.Id}/transitions", new { action = "activate", rfidTag = seal.Tag }, cancellationToken);
        }

        AnsiConsole.MarkupLine("  organisation, people and seals in place");
    }

    /// <summary>A client signed in as <paramref name="person"/>.</summary>
    public static async Task<HttpClient> SignInAsync(Uri baseAddress, DemoPerson person, CancellationToken cancellationToken)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        HttpResponseMessage response = await client.PostAsJsonAsync("/api/auth/login", new { login = person.Login, password = Password }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new DemoException($"sign-in of {person.Login} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        string token = (await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!["token"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Creates or acts; "already there" (409) is fine on a second run.</summary>
    private static async Task CreateAsync(HttpClient admin, string path, object body, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await admin.PostAsJsonAsync(path, body, cancellationToken);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw new DemoException($"seeding {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
