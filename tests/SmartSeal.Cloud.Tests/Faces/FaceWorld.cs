using System.Data.Common;
using System.Net.Http.Headers;
using Dapper;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.FaceRecognition;

namespace SmartSeal.Cloud.Tests.Faces;

/// <summary>
/// The shared sample faces (../shared/data/faces, as the gate's tests use them), enrolment uploads,
/// and the rows the gate sync reads: a seal sitting in a cabinet, an application in a given state and a seal checked out
/// (inserted directly: the approval flow has its own tests; here only its outcome matters).
/// </summary>
public sealed class FaceWorld(CloudFactory cloud)
{
    public static string Photo(string person, string file)
    {
        string folder = Path.GetFullPath(Path.Combine(FaceModels.RepositoryRoot(), "..", "shared", "data", "faces"));
        Assert.True(Directory.Exists(folder), $"{folder} is missing: the face tests need ../shared beside the repository");
        return Path.Combine(folder, person == "." ? string.Empty : "people", person == "." ? string.Empty : person, file);
    }

    public static async Task<HttpResponseMessage> EnrolAsync(HttpClient client, string login, params string[] photoPaths)
    {
        using var form = new MultipartFormDataContent();
        foreach (string path in photoPaths)
        {
            var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
            content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(content, "photos", Path.GetFileName(path));
        }

        return await client.PostAsync($"/api/faces/{login}", form);
    }

    public async Task SealInCabinetAsync(string sealId, string unit, string cabinet, int compartment)
    {
        await using DbConnection connection = await cloud.Service<Database>().OpenAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO seals (id, name, type, unit_id, level, custodian, rfid_tag, state, location_kind, location_ref, location_ms, created_ms, updated_ms)
            VALUES (@sealId, '合同专用章', 'contract', @unit, 1, NULL, NULL, 'active', 'cabinet', @where, 0, 0, 0)
            """,
            new { sealId, unit, where = $"{cabinet}/{compartment}" });
    }

    public async Task MoveSealAsync(string sealId, string kind, string? where)
    {
        await using DbConnection connection = await cloud.Service<Database>().OpenAsync();
        await connection.ExecuteAsync("UPDATE seals SET location_kind = @kind, location_ref = @where WHERE id = @sealId", new { sealId, kind, where });
    }

    public async Task<string> ApplicationAsync(string applicant, string unit, string sealId, string status, string mode = "cabinet", long? windowToMs = null)
    {
        string id = OrgWorldIds.Unique("app");
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using DbConnection connection = await cloud.Service<Database>().OpenAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO applications (id, applicant, applicant_unit, seal_id, purpose, documents, stamps, mode, location, window_from_ms, window_to_ms,
                                      urgency, chain, status, state, version, submitted_ms, step_due_ms, decided_ms, lead_time_ms, updated_ms)
            VALUES (@id, @applicant, @unit, @sealId, '合同盖章', '[]', 1, @mode, NULL, @from, @to, 'normal', 'single', @status, '{}', 1, @from, NULL, @from, 0, @from)
            """,
            new { id, applicant, unit, sealId, mode, status, from = now - 3_600_000, to = windowToMs ?? now + 3_600_000 });
        return id;
    }

    /// <summary>The applicant took the seal out of <paramref name="cabinet"/> and has not brought it back (due at <paramref name="dueMs"/>).</summary>
    public async Task CheckedOutAsync(string applicationId, string sealId, string holder, string cabinet, long dueMs)
    {
        await using DbConnection connection = await cloud.Service<Database>().OpenAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO checkouts (application_id, seal_id, holder, mode, status, device_id, compartment, token_id, window_from_ms, due_ms, created_ms, out_ms, updated_ms)
            VALUES (@applicationId, @sealId, @holder, 'cabinet', 'out', @cabinet, 1, NULL, 0, @dueMs, 0, 0, 0)
            """,
            new { applicationId, sealId, holder, cabinet, dueMs });
    }
}

internal static class OrgWorldIds
{
    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("n")[..8];
}
