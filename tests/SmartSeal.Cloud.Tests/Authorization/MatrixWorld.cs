using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using OpenCvSharp;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Checkouts;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Authorization;

/// <summary>
/// Two provinces, A and B, each a <see cref="SealOffice"/> with an auditor, a lock, and A with a
/// cabinet, a gate, an alarm, a command, a photo and ledger entries: the objects the matrix asks
/// every caller about. Callers are named ("keeperA", "auditorB", "admin", "anonymous"...).
/// </summary>
public sealed class MatrixWorld
{
    private readonly Dictionary<string, HttpClient> _callers = new(StringComparer.Ordinal);

    private MatrixWorld(CloudFactory cloud, OrgWorld org, SealOffice a, SealOffice b)
    {
        Cloud = cloud;
        Org = org;
        A = a;
        B = b;
    }

    public CloudFactory Cloud { get; }

    public OrgWorld Org { get; }

    public SealOffice A { get; }

    public SealOffice B { get; }

    public string LockA { get; } = OrgWorld.Unique("lock-a");

    public string LockB { get; } = OrgWorld.Unique("lock-b");

    public string CabinetA { get; } = OrgWorld.Unique("cab-a");

    public string GateA { get; } = OrgWorld.Unique("gate-a");

    public string SpareLockA { get; } = OrgWorld.Unique("lock-spare");

    /// <summary>A lock of province A the retire row may retire (the spare lock's key is rotated by another row).</summary>
    public string RetireLockA { get; } = OrgWorld.Unique("lock-retire");

    public byte[] GateKey { get; private set; } = [];

    public long AlarmA { get; private set; }

    public string CommandA { get; private set; } = string.Empty;

    public string PhotoA { get; private set; } = string.Empty;

    public string PhotoIdA { get; } = OrgWorld.Unique("ph");

    public string AttemptA { get; } = OrgWorld.Unique("att");

    public long LedgerEntryA { get; private set; }

    public long InventoryA { get; private set; }

    /// <summary>An approved lock-mode application of A whose checkout waits for its lock.</summary>
    public string CheckoutA { get; private set; } = string.Empty;

    /// <summary>An application of A with an uploaded document (pending at the department head).</summary>
    public string DocumentApplicationA { get; private set; } = string.Empty;

    public string DocumentA { get; private set; } = string.Empty;

    /// <summary>Users whose password and token the matrix changes: "spare" changes its password, "leaving" signs out.</summary>
    public string SpareUser { get; } = OrgWorld.Unique("spare");

    public string LeavingUser { get; } = OrgWorld.Unique("leaving");

    public HttpClient this[string caller] => _callers[caller];

    public static async Task<MatrixWorld> CreateAsync(CloudFactory cloud)
    {
        var org = new OrgWorld(cloud);
        var world = new MatrixWorld(cloud, org, await SealOffice.CreateAsync(org), await SealOffice.CreateAsync(org));
        await world.PopulateAsync();
        return world;
    }

    /// <summary>A fresh in-use seal of A (for actions that use a seal up).</summary>
    public Task<string> FreshSealAsync() => OrgWorld.SealInUseAsync(A.KeeperClient, A.Province);

    /// <summary>A fresh application of A for seal A, pending at the department head.</summary>
    public async Task<string> PendingApplicationAsync(string mode = "lock")
    {
        HttpResponseMessage submitted = await A.ApplicantClient.PostAsJsonAsync("/api/applications", CheckoutEndToEndTests.Request(A.SealId, mode, 1));
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        return (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public Task<string> ApprovedApplicationAsync(string mode = "lock") => A.ApprovedApplicationAsync(CheckoutEndToEndTests.Request(A.SealId, mode, 1));

    public static async Task<string> IdOfAsync(HttpResponseMessage response, string property = "id")
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        JsonElement value = JsonDocument.Parse(text).RootElement.GetProperty(property);
        return value.ValueKind == JsonValueKind.Number ? value.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) : value.GetString()!;
    }

    private async Task PopulateAsync()
    {
        string auditorA = await Org.UserAsync(OrgWorld.Unique("auditor"), A.Province, "auditor");
        string auditorB = await Org.UserAsync(OrgWorld.Unique("auditor"), B.Province, "auditor");
        await Org.UserAsync(SpareUser, A.City, "applicant");
        await Org.UserAsync(LeavingUser, A.City, "applicant");
        _callers["anonymous"] = Cloud.CreateClient();
        _callers["admin"] = Org.Admin;
        _callers["keeperA"] = A.KeeperClient;
        _callers["applicantA"] = A.ApplicantClient;
        _callers["headA"] = A.HeadClient;
        _callers["ownerA"] = A.OwnerClient;
        _callers["auditorA"] = await Org.SignInAsync(auditorA);
        _callers["keeperB"] = B.KeeperClient;
        _callers["applicantB"] = B.ApplicantClient;
        _callers["headB"] = B.HeadClient;
        _callers["auditorB"] = await Org.SignInAsync(auditorB);
        _callers["spare"] = await Org.SignInAsync(SpareUser);
        _callers["leaving"] = await Org.SignInAsync(LeavingUser);

        await Cloud.ProvisionAsync(LockA, orgUnit: A.Province);
        await Cloud.ProvisionAsync(LockB, orgUnit: B.Province);
        await Cloud.ProvisionAsync(SpareLockA, orgUnit: A.Province);
        await Cloud.ProvisionAsync(RetireLockA, orgUnit: A.Province);
        await Cloud.ProvisionAsync(CabinetA, DeviceKind.Cabinet, 4, orgUnit: A.Province);
        GateKey = await Cloud.ProvisionAsync(GateA, DeviceKind.Gate, orgUnit: A.Province);
        AlarmA = (await Cloud.Service<AlarmService>().RaiseAsync(LockA, AlarmTypes.ForgedMessage, 0, "matrix")).Id;
        CommandA = await IdOfAsync(await Org.Admin.PostAsJsonAsync($"/api/devices/{LockA}/commands", new { type = "locate", body = new { } }));
        await StorePhotoAsync();

        HttpResponseMessage entries = await Org.Admin.GetAsync($"/api/ledger?seal={A.SealId}&limit=1");
        LedgerEntryA = (await entries.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetInt64();
        InventoryA = long.Parse(await IdOfAsync(await A.KeeperClient.PostAsJsonAsync("/api/inventory-checks", new { unitId = A.Province })), System.Globalization.CultureInfo.InvariantCulture);
        CheckoutA = await ApprovedApplicationAsync();

        DocumentApplicationA = await PendingApplicationAsync();
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(SmartSeal.Cloud.Tests.Documents.TestDocuments.Pdf(SmartSeal.Cloud.Tests.Documents.TestDocuments.ContractPages));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "采购合同.pdf");
        DocumentA = await IdOfAsync(await A.ApplicantClient.PostAsync($"/api/applications/{DocumentApplicationA}/documents", form));
    }

    /// <summary>A small real JPEG, stored as the lock's photo of an attempt (as photo assembly would leave it).</summary>
    private async Task StorePhotoAsync()
    {
        using var image = new Mat(48, 64, MatType.CV_8UC3, OpenCvSharp.Scalar.All(120));
        Cv2.ImEncode(".jpg", image, out byte[] jpeg);
        PhotoA = PhotoHash.Of(jpeg);
        await Cloud.Service<IPhotoStore>().PutAsync(PhotoA, PhotoVariant.Original, jpeg, CancellationToken.None);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using DbConnection connection = await Cloud.Service<Database>().OpenAsync();
        await connection.ExecuteAsync("INSERT INTO photos (sha256, bytes, created_ms) VALUES (@PhotoA, @bytes, @now)", new { PhotoA, bytes = jpeg.Length, now });
        await connection.ExecuteAsync(
            "INSERT INTO photo_refs (device_id, photo_id, sha256, purpose, attempt_id, device_ms, server_ms) VALUES (@LockA, @PhotoIdA, @PhotoA, 'stamp', @AttemptA, @now, @now)",
            new { LockA, PhotoIdA, PhotoA, AttemptA, now });
    }
}
