using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Cloud.Tests.Photos;

namespace SmartSeal.Cloud.Tests.Reports;

/// <summary>
/// Two provinces (广东 with a city under it, 浙江), each with a keeper, an auditor and an in-use
/// seal; in 广东 a city applicant's application approved by the city head and the province's
/// approver, then stamped twice by a lock with a photo each, and refused once.
/// </summary>
public sealed class ReportsWorld
{
    private ReportsWorld(CloudFactory cloud, OrgWorld org)
    {
        Cloud = cloud;
        Org = org;
    }

    public CloudFactory Cloud { get; }

    public OrgWorld Org { get; }

    public required string Gd { get; init; }

    public required string Zj { get; init; }

    public required string City { get; init; }

    public required string GdSeal { get; init; }

    public required string ZjSeal { get; init; }

    public required string Applicant { get; init; }

    public required string Head { get; init; }

    public required string Owner { get; init; }

    public required string GdAuditor { get; init; }

    public required string ZjKeeper { get; init; }

    public required string ApplicationId { get; init; }

    public required long WindowToMs { get; init; }

    public required string Device { get; init; }

    public required IReadOnlyList<string> PhotoHashes { get; init; }

    public required IReadOnlyList<StoredLedgerEntry> Stamps { get; init; }

    public required StoredLedgerEntry Refusal { get; init; }

    public const string Awkward = "备注, with \"quotes\"\nand a second line";

    public static async Task<ReportsWorld> CreateAsync(CloudFactory cloud)
    {
        var org = new OrgWorld(cloud);
        await org.EnsureRootAsync();
        string gd = await org.UnitAsync(OrgWorld.Unique("gd"), "hq", "广东省分公司");
        string city = await org.UnitAsync(OrgWorld.Unique("sz"), gd, "深圳市分公司");
        string zj = await org.UnitAsync(OrgWorld.Unique("zj"), "hq", "浙江省分公司");
        string gdKeeper = await org.UserAsync(OrgWorld.Unique("gdkeeper"), gd, "keeper");
        string gdAuditor = await org.UserAsync(OrgWorld.Unique("gdaudit"), gd, "auditor");
        string owner = await org.UserAsync(OrgWorld.Unique("owner"), gd, "approver");
        string head = await org.UserAsync(OrgWorld.Unique("head"), city, "approver");
        string applicant = await org.UserAsync(OrgWorld.Unique("applicant"), city, "applicant");
        string zjKeeper = await org.UserAsync(OrgWorld.Unique("zjkeeper"), zj, "keeper");

        string gdSeal = await SealAsync(await org.SignInAsync(gdKeeper), gd, "合同专用章");
        string zjSeal = await SealAsync(await org.SignInAsync(zjKeeper), zj, "财务专用章");

        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long windowTo = now + 86_400_000;
        HttpClient applicantClient = await org.SignInAsync(applicant);
        HttpResponseMessage applied = await applicantClient.PostAsJsonAsync("/api/applications", new
        {
            sealId = gdSeal, purpose = "签订采购合同", documents = new[] { new { name = "采购合同.pdf", pages = 12 } }, stamps = 2, mode = "lock",
            windowFromMs = now, windowToMs = windowTo, urgency = "normal",
        });
        Assert.Equal(HttpStatusCode.Created, applied.StatusCode);
        string applicationId = (await applied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        foreach (string approver in new[] { head, owner })
        {
            HttpResponseMessage decided = await (await org.SignInAsync(approver)).PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { comment = "同意" });
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        }

        string device = OrgWorld.Unique("lock");
        var hashes = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            hashes.Add(await PhotoAsync(cloud, TestJpeg.Create(640, 480, seed: Random.Shared.Next())));
        }

        LedgerService ledger = cloud.Service<LedgerService>();
        var stamps = new List<StoredLedgerEntry>();
        for (int i = 0; i < 2; i++)
        {
            stamps.AddRange(await ledger.AppendAsync([new LedgerEntry
            {
                SealId = gdSeal, Kind = LedgerKinds.Stamp, AtMs = now + i, DeviceId = device, ApplicationId = applicationId, TokenId = "tok-1",
                Source = $"test:{device}:{i}",
                Fields = new Dictionary<string, string>
                {
                    ["copies"] = "1", ["lat"] = "22.5431", ["lon"] = "114.0579", ["photos"] = hashes[i], ["note"] = i == 0 ? Awkward : "第二次",
                },
            }]));
        }

        StoredLedgerEntry refusal = (await ledger.AppendAsync([new LedgerEntry
        {
            SealId = gdSeal, Kind = LedgerKinds.Refusal, AtMs = now + 5, DeviceId = device, ApplicationId = applicationId,
            Fields = new Dictionary<string, string> { ["reason"] = "outside-geofence" },
        }]))[0];
        await ledger.AppendAsync([new LedgerEntry { SealId = zjSeal, Kind = LedgerKinds.Dispense, AtMs = now, DeviceId = "cab-zj", Fields = new Dictionary<string, string> { ["compartment"] = "3" } }]);

        return new ReportsWorld(cloud, org)
        {
            Gd = gd, Zj = zj, City = city, GdSeal = gdSeal, ZjSeal = zjSeal, Applicant = applicant, Head = head, Owner = owner,
            GdAuditor = gdAuditor, ZjKeeper = zjKeeper, ApplicationId = applicationId, WindowToMs = windowTo, Device = device,
            PhotoHashes = hashes, Stamps = stamps, Refusal = refusal,
        };
    }

    private static async Task<string> SealAsync(HttpClient keeper, string unit, string name)
    {
        HttpResponseMessage registered = await keeper.PostAsJsonAsync("/api/seals", new { name, type = "contract", unitId = unit, level = 2 });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        string id = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await keeper.PostAsJsonAsync($"/api/seals/{id}/transitions", new { action = "engrave" })).StatusCode);
        string tag = "E280" + Guid.NewGuid().ToString("n")[..12].ToUpperInvariant();
        Assert.Equal(HttpStatusCode.OK, (await keeper.PostAsJsonAsync($"/api/seals/{id}/transitions", new { action = "activate", rfidTag = tag })).StatusCode);
        return id;
    }

    /// <summary>Stores a JPEG as the photo pipeline would: the object, then its row.</summary>
    public static async Task<string> PhotoAsync(CloudFactory cloud, byte[] jpeg, long? createdMs = null)
    {
        string sha = Convert.ToHexStringLower(SHA256.HashData(jpeg));
        await cloud.Service<IPhotoStore>().PutAsync(sha, PhotoVariant.Original, jpeg, default);
        await using DbConnection connection = await cloud.Service<Database>().OpenAsync();
        await connection.ExecuteAsync("INSERT INTO photos (sha256, bytes, created_ms) VALUES (@sha, @bytes, @created) ON CONFLICT (sha256) DO NOTHING",
            new { sha, bytes = jpeg.Length, created = createdMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        return sha;
    }

    public Task<HttpClient> SignInAsync(string login) => Org.SignInAsync(login);
}
