using System.Globalization;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// What seal-management rules want printed beside every use (用印台账): the applicant's name,
/// unit and post; the documents, purpose and copies; when it was applied for and approved; by
/// whom — looked up from the token a device used, at the moment the use is recorded (so the
/// ledger entry's hash covers them). An ingest batch looks up the applications and applicants
/// behind all its tokens at once: one query each, however many devices stamped (the people
/// through <see cref="OrgDirectory"/>).
/// </summary>
public sealed class UseFacts(OrgDirectory org)
{
    /// <summary>The facts of the application behind a token (a copy: callers add their own fields).</summary>
    public async Task<(string ApplicationId, string Holder, Dictionary<string, string> Fields)?> ForTokenAsync(string? jti, IngestBatch batch)
    {
        if (jti == null || await UseTokenStore.FindInBatchAsync(jti, batch) is not { } token || await ApplicationAsync(token, batch) is not { } application)
        {
            return null;
        }

        PersonCard? person = await PersonAsync(application.Applicant, batch);
        string[] approverLogins = ApproverLogins(application);
        string approvers = string.Join(",", approverLogins);
        var approverCards = new List<string>(approverLogins.Length);
        foreach (string login in approverLogins)
        {
            approverCards.Add((await PersonAsync(login, batch))?.Label ?? login);
        }

        var fields = new Dictionary<string, string>
        {
            ["applicant"] = application.Applicant,
            ["applicantName"] = person?.Name ?? application.Applicant,
            ["applicantUnit"] = person?.Unit ?? application.ApplicantUnit,
            ["applicantPost"] = person?.Post ?? string.Empty,
            ["purpose"] = application.Content.Purpose,
            ["documents"] = string.Join("; ", application.Content.Documents.Select(d => $"{d.Name} ({d.Pages} p)")),
            ["copies"] = application.Content.Stamps.ToString(CultureInfo.InvariantCulture),
            ["appliedMs"] = application.SubmittedMs.ToString(CultureInfo.InvariantCulture),
            ["approvedMs"] = (application.DecidedMs ?? 0).ToString(CultureInfo.InvariantCulture),
            ["approvers"] = approvers,
            // Department and post as they are now, at the moment of use (the rules want them as they were, not as they are when printed).
            ["approversAtTime"] = string.Join("; ", approverCards),
            ["executorAtTime"] = person?.Label ?? application.Applicant,
        };
        return (application.Id, application.Applicant, fields);
    }

    /// <summary>The application a token was issued under; the first call loads those of every token the batch names.</summary>
    public async Task<ApplicationRecord?> ApplicationAsync(IssuedToken token, IngestBatch batch)
    {
        await batch.MemoAsync("applications:prefetched", () => PrefetchApplicationsAsync(batch));
        return await batch.MemoAsync("app:" + token.ApplicationId, () => ApplicationService.ReadAsync(token.ApplicationId, batch.Connection!, batch.Transaction));
    }

    private async Task<bool> PrefetchApplicationsAsync(IngestBatch batch)
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

        string[] applicants = applications.Select(a => a.Applicant).Concat(applications.SelectMany(ApproverLogins)).Distinct(StringComparer.Ordinal).ToArray();
        IReadOnlyDictionary<string, PersonCard> people = await org.PeopleAsync(applicants, batch.Connection!, batch.Transaction);
        foreach (string login in applicants)
        {
            batch.Remember("person:" + login, people.GetValueOrDefault(login));
        }

        return true;
    }

    /// <summary>Whoever approved (the acting person, also when acting for a delegator), each once, in the order they voted.</summary>
    private static string[] ApproverLogins(ApplicationRecord application) =>
        application.State.Votes.Where(v => v.Decision == Decision.Approve).Select(v => v.Actor).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>A person as the directory knows them now; null for a login no longer in it (printed by login and the unit applied from).</summary>
    private Task<PersonCard?> PersonAsync(string login, IngestBatch batch) =>
        batch.MemoAsync("person:" + login, async () =>
            (await org.PeopleAsync([login], batch.Connection!, batch.Transaction)).GetValueOrDefault(login));
}
