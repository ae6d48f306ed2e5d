using System.Data.Common;
using System.Globalization;
using Dapper;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.UseTokens;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// What seal-management rules want printed beside every use (用印台账): the applicant's name,
/// unit and post; the documents, purpose and copies; when it was applied for and approved; by
/// whom — looked up from the token a device used, at the moment the use is recorded (so the
/// ledger entry's hash covers them).
/// </summary>
public static class UseFacts
{
    /// <summary>The facts of the application behind a token, once per ingest batch (a copy: callers add their own fields).</summary>
    public static async Task<(string ApplicationId, string Holder, Dictionary<string, string> Fields)?> ForTokenAsync(string? jti, Ingest.IngestBatch batch)
    {
        var facts = jti == null ? null : await batch.MemoAsync("facts:" + jti, () => LoadAsync(jti, batch));
        return facts is { } f ? (f.ApplicationId, f.Holder, new Dictionary<string, string>(f.Fields)) : null;
    }

    private static async Task<(string ApplicationId, string Holder, Dictionary<string, string> Fields)?> LoadAsync(string jti, Ingest.IngestBatch batch)
    {
        DbConnection connection = batch.Connection!;
        DbTransaction? transaction = batch.Transaction;
        if (await UseTokenStore.FindInBatchAsync(jti, batch) is not { } token
            || await ApplicationService.ReadAsync(token.ApplicationId, connection, transaction) is not { } application)
        {
            return null;
        }

        var person = await connection.QuerySingleOrDefaultAsync<(string Name, string? Post, string Unit)>(
            "SELECT u.display_name, u.post, o.name_zh FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.login = @login",
            new { login = application.Applicant }, transaction);
        string approvers = string.Join(",", application.State.Votes.Where(v => v.Decision == Decision.Approve).Select(v => v.Actor).Distinct());
        var fields = new Dictionary<string, string>
        {
            ["applicant"] = application.Applicant,
            ["applicantName"] = person.Name ?? application.Applicant,
            ["applicantUnit"] = person.Unit ?? application.ApplicantUnit,
            ["applicantPost"] = person.Post ?? string.Empty,
            ["purpose"] = application.Content.Purpose,
            ["documents"] = string.Join("; ", application.Content.Documents.Select(d => $"{d.Name} ({d.Pages} p)")),
            ["copies"] = application.Content.Stamps.ToString(CultureInfo.InvariantCulture),
            ["appliedMs"] = application.SubmittedMs.ToString(CultureInfo.InvariantCulture),
            ["approvedMs"] = (application.DecidedMs ?? 0).ToString(CultureInfo.InvariantCulture),
            ["approvers"] = approvers,
        };
        return (application.Id, application.Applicant, fields);
    }
}
