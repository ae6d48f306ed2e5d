using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>
/// A seal, an applicant and the two approvers its applications go through; applications with an
/// uploaded contract PDF, approved or not, and their approved copies.
/// </summary>
public sealed class DocumentWorld
{
    private readonly OrgWorld _org;

    private DocumentWorld(OrgWorld org, string sealId, HttpClient applicant, HttpClient head, HttpClient owner)
    {
        _org = org;
        SealId = sealId;
        Applicant = applicant;
        Head = head;
        Owner = owner;
    }

    public string SealId { get; }

    public HttpClient Applicant { get; }

    public HttpClient Head { get; }

    public HttpClient Owner { get; }

    public static async Task<DocumentWorld> CreateAsync(DocumentsFactory cloud)
    {
        var org = new OrgWorld(cloud);
        await org.EnsureRootAsync();
        string province = await org.UnitAsync(OrgWorld.Unique("gd"), "hq", "广东省分公司");
        string city = await org.UnitAsync(OrgWorld.Unique("sz"), province, "深圳市分公司");
        string keeper = await org.UserAsync(OrgWorld.Unique("keeper"), province, "keeper");
        string owner = await org.UserAsync(OrgWorld.Unique("owner"), province, "approver");
        string head = await org.UserAsync(OrgWorld.Unique("head"), city, "approver");
        string applicant = await org.UserAsync(OrgWorld.Unique("applicant"), city, "applicant");
        HttpClient keeperClient = await org.SignInAsync(keeper);
        HttpResponseMessage registered = await keeperClient.PostAsJsonAsync("/api/seals", new { name = "合同专用章", type = "contract", unitId = province, level = 2 });
        string sealId = (await OkAsync(registered, HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await OkAsync(await keeperClient.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "engrave" }));
        string tag = "E280" + Guid.NewGuid().ToString("n")[..12].ToUpperInvariant();
        await OkAsync(await keeperClient.PostAsJsonAsync($"/api/seals/{sealId}/transitions", new { action = "activate", rfidTag = tag }));
        return new DocumentWorld(org, sealId, await org.SignInAsync(applicant), await org.SignInAsync(head), await org.SignInAsync(owner));
    }

    public async Task<string> ApplyAsync(int stamps = 2)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var request = new
        {
            SealId,
            purpose = "签订仓储服务合同",
            documents = new[] { new { name = "采购合同.pdf", pages = 2 } },
            stamps,
            mode = "lock",
            windowFromMs = now,
            windowToMs = now + 86_400_000,
            urgency = "normal",
        };
        return (await OkAsync(await Applicant.PostAsJsonAsync("/api/applications", request), HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, string applicationId, byte[] content, string fileName = "采购合同.pdf")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(Path.GetExtension(fileName) switch { ".jpg" => "image/jpeg", ".png" => "image/png", _ => "application/pdf" });
        form.Add(file, "file", fileName);
        return client.PostAsync($"/api/applications/{applicationId}/documents", form);
    }

    public async Task ApproveAsync(string applicationId)
    {
        await OkAsync(await Head.PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { }));
        JsonElement approved = await OkAsync(await Owner.PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { }));
        Assert.Equal("approved", approved.GetProperty("status").GetString());
    }

    /// <summary>An approved application with the contract uploaded: its id, document id and approved copy.</summary>
    public async Task<(string ApplicationId, string DocumentId, byte[] Copy)> ApprovedContractAsync(byte[] pdf, int stamps = 2)
    {
        string applicationId = await ApplyAsync(stamps);
        string documentId = (await OkAsync(await UploadAsync(Applicant, applicationId, pdf), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await ApproveAsync(applicationId);
        HttpResponseMessage copy = await Applicant.GetAsync($"/api/applications/{applicationId}/documents/{documentId}/approved-copy");
        Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
        Assert.Equal("application/pdf", copy.Content.Headers.ContentType?.MediaType);
        return (applicationId, documentId, await copy.Content.ReadAsByteArrayAsync());
    }

    public HttpClient Admin => _org.Admin;

    public static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}
