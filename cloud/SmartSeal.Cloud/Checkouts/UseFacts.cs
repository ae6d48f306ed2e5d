using System.Data.Common;
using System.Globalization;
using Dapper;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Ingest;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// What seal-management rules want printed beside every use (用印台账): the applicant's name,
/// unit and post; the documents, purpose and copies; when it was applied for and approved; by
/// whom — looked up from the token a device used, at the moment the use is recorded (so the
/// ledger entry's hash covers them). An ingest batch looks up the applications and applicants
/// behind all its tokens at once: one query each, however many devices stamped.
/// </summary>
public static class UseFacts
{
    /// <summary>The facts of the application behind a token (a copy: callers add their own fields).</summary>
    public static async Task<(string ApplicationId, string Holder, Dictionary<string, string> Fields)?> ForTokenAsync(string? jti, IngestBatch batch)
    {
        if (jti == null || await UseTokenStore.FindInBatchAsync(jti, batch) is not { } token || await ApplicationAsync(token, batch) is not { } application)
        {
            return null;
        }

        Person person = await PersonAsync(application, batch);
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

    /// <summary>The application a token was issued under; the first call loads those of every token the batch names.</summary>
    public static async Task<ApplicationRecord?> ApplicationAsync(IssuedToken token, IngestBatch batch)
    {
        await batch.MemoAsync("applications:prefetched", () => PrefetchApplicationsAsync(batch));
        return await batch.MemoAsync("app:" + token.ApplicationId, () => ApplicationService.ReadAsync(token.ApplicationId, batch.Connection!, batch.Transaction));
    }

    private static async Task<bool> PrefetchApplicationsAsync(IngestBatch batch)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (IngestItem item in batch.Where(IngestOutcome.Stored))
        {
            if (UseTokenStore.TokenIdOf(item) is { } jti && await UseTokenStore.FindInBatchAsync(jti, batch) is { } token)
            {
                ids.Add(token.ApplicationId);
            }
        }

        if (ids.Count == 0)
        {
            return true;
        }

        IReadOnlyList<ApplicationRecord> applications = await ApplicationService.ReadManyAsync([.. ids], batch.Connection!, batch.Transaction);
        foreach (string id in ids)
        {
            batch.Remember("app:" + id, applications.FirstOrDefault(a => a.Id == id));
        }

        string[] applicants = applications.Select(a => a.Applicant).Distinct(StringComparer.Ordinal).ToArray();
        var people = new Dictionary<string, Person>(StringComparer.Ordinal);
        foreach (string[] chunk in applicants.Chunk(100))
        {
            var parameters = new DynamicParameters();
            string sql = $"SELECT u.login AS Login, u.display_name AS Name, u.post AS Post, o.name_zh AS Unit FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.login IN {Storage.SqlList.In(parameters, "l", chunk)}";
            foreach (Person person in await batch.Connection!.QueryAsync<Person>(sql, parameters, batch.Transaction))
            {
                people[person.Login] = person;
            }
        }

        foreach (string login in applicants)
        {
            batch.Remember("person:" + login, people.GetValueOrDefault(login) ?? new Person { Login = login });
        }

        return true;
    }

    private static Task<Person> PersonAsync(ApplicationRecord application, IngestBatch batch) =>
        batch.MemoAsync("person:" + application.Applicant, async () =>
        {
            DbConnection connection = batch.Connection!;
            return await connection.QuerySingleOrDefaultAsync<Person>(
                "SELECT u.login AS Login, u.display_name AS Name, u.post AS Post, o.name_zh AS Unit FROM users u JOIN org_units o ON o.id = u.unit_id WHERE u.login = @login",
                new { login = application.Applicant }, batch.Transaction) ?? new Person { Login = application.Applicant };
        });

    private sealed class Person
    {
        public string Login { get; set; } = "";

        public string? Name { get; set; }

        public string? Post { get; set; }

        public string? Unit { get; set; }
    }
}
