using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Turns ledger entries into <see cref="LedgerExportRow"/>s: looks up, a page at a time, the
/// applications the entries belong to (applicant, unit, post, documents, purpose, copies, times,
/// approvers from the approval state), seal names, people's display names and the photos the
/// entries name (a SHA-256, a device photo id, or every photo of the entry's attempt).
/// </summary>
public sealed partial class LedgerExportRows(LedgerReader reader, ApplicationDirectory applicationDirectory, OrgDirectory people, SealDirectory seals, PhotoCatalog photoCatalog)
{
    private const int Page = 500;

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    public async IAsyncEnumerable<LedgerExportRow> ReadAsync(LedgerAudience scope, LedgerFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = new List<StoredLedgerEntry>(Page);
        await foreach (StoredLedgerEntry entry in reader.StreamAsync(scope, filter, cancellationToken))
        {
            page.Add(entry);
            if (page.Count == Page)
            {
                foreach (LedgerExportRow row in await EnrichAsync(page, cancellationToken))
                {
                    yield return row;
                }

                page.Clear();
            }
        }

        foreach (LedgerExportRow row in await EnrichAsync(page, cancellationToken))
        {
            yield return row;
        }
    }

    public async Task<IReadOnlyList<LedgerExportRow>> EnrichAsync(IReadOnlyList<StoredLedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
        {
            return [];
        }

        var fields = entries.Select(e => LedgerCanon.Fields(e.Payload)).ToList();
        var applicationIds = entries.Select((e, i) => e.ApplicationId ?? Field(fields[i], "application")).OfType<string>().Distinct().ToList();
        Dictionary<string, ApplicationRecord> applications = (await applicationDirectory.RecordsAsync(applicationIds, cancellationToken))
            .ToDictionary(a => a.Id, StringComparer.Ordinal);

        var approvers = applications.Values.ToDictionary(a => a.Id, ApproversOf, StringComparer.Ordinal);
        var logins = applications.Values.Select(a => a.Applicant)
            .Concat(approvers.Values.SelectMany(a => a))
            .Concat(fields.SelectMany(f => (Field(f, "approvers") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .Concat(entries.Select(e => e.Actor).OfType<string>());
        IReadOnlyDictionary<string, PersonCard> persons = await people.PeopleAsync(logins, cancellationToken);
        IReadOnlyDictionary<string, string> unitNames = await people.UnitNamesAsync(applications.Values.Select(a => a.ApplicantUnit), cancellationToken);
        IReadOnlyDictionary<string, string> sealNames = await seals.NamesAsync(entries.Select(e => e.SealId), cancellationToken);
        List<ExportPhoto>[] photos = await PhotosAsync(entries, fields, cancellationToken);

        var rows = new List<LedgerExportRow>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            StoredLedgerEntry e = entries[i];
            IReadOnlyDictionary<string, string> f = fields[i];
            string? applicationId = e.ApplicationId ?? Field(f, "application");
            ApplicationRecord? app = applicationId is not null && applications.TryGetValue(applicationId, out ApplicationRecord? found) ? found : null;
            PersonCard? applicant = app is not null && persons.TryGetValue(app.Applicant, out PersonCard? p) ? p : null;
            string? executor = e.Actor ?? Field(f, "subject") ?? Field(f, "user") ?? app?.Applicant;
            // Facts the entry itself carries (Checkouts/UseFacts: recorded at the moment of use, covered by the hash) win over
            // today's lookups, so a later change of a person's name or post does not rewrite the printed ledger.
            rows.Add(new LedgerExportRow(
                e.Id, e.SealId, sealNames.GetValueOrDefault(e.SealId), e.Seq, e.Kind, e.AtMs, e.RecordedMs, applicationId,
                Field(f, "applicantName") ?? applicant?.Name ?? app?.Applicant,
                Field(f, "applicantUnit") ?? (app is null ? null : unitNames.GetValueOrDefault(app.ApplicantUnit, app.ApplicantUnit)),
                Field(f, "applicantPost") ?? applicant?.Post,
                Field(f, "documents") ?? (app is null ? null : string.Join("; ", app.Content.Documents.Select(d => $"{d.Name} ({d.Pages} p)"))),
                Field(f, "purpose") ?? app?.Content.Purpose,
                int.TryParse(Field(f, "copies"), NumberStyles.None, CultureInfo.InvariantCulture, out int copies) ? copies : app?.Content.Stamps,
                Ms(f, "appliedMs") ?? app?.SubmittedMs,
                Ms(f, "approvedMs") ?? (app?.State.Status == ApplicationStatus.Approved ? app.DecidedMs : null),
                // Department and post as they were when the entry was written (UseFacts, ApplicationService), else as the register has them today.
                Field(f, "approversAtTime")
                    ?? (Field(f, "approvers") is { } recorded
                        ? string.Join("; ", recorded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(login => Name(persons, login)))
                        : app is null ? null : string.Join("; ", approvers[app.Id].Select(login => Name(persons, login)))),
                Field(f, "executorAtTime") ?? Field(f, "actorAtTime") ?? (executor is null ? null : Name(persons, executor)),
                e.DeviceId,
                LocationOf(e, f),
                photos[i],
                string.Join("; ", f.Where(kv => kv.Value.Length > 0 && !ShownInColumns.Contains(kv.Key)).Select(kv => kv.Key + "=" + kv.Value)),
                e.Hash));
        }

        return rows;
    }

    /// <summary>Approvers (login) whose approval carried the final round, in the order they approved.</summary>
    private static List<string> ApproversOf(ApplicationRecord application)
    {
        ApprovalState state = application.State;
        return state.Votes.Where(v => v.Round == state.Round && v.Decision == Decision.Approve).OrderBy(v => v.AtMs)
            .Select(v => v.Actor == v.Approver ? v.Approver : v.Actor).Distinct().ToList();
    }

    /// <summary>"name · unit · post"; the login only for someone no longer in the register.</summary>
    private static string Name(IReadOnlyDictionary<string, PersonCard> people, string login) =>
        people.TryGetValue(login, out PersonCard? person) ? person.Label : login;

    private static string? LocationOf(StoredLedgerEntry e, IReadOnlyDictionary<string, string> f)
    {
        if (Field(f, "location") is { } location)
        {
            return location;
        }

        if (Field(f, "lat") is { } lat && Field(f, "lon") is { } lon)
        {
            return $"{lat},{lon}";
        }

        return Field(f, "compartment") is { } compartment && e.DeviceId is not null ? $"{e.DeviceId} #{compartment}" : null;
    }

    /// <summary>Photos per entry: fields whose name contains "photo" (SHA-256 or device photo ids, comma-separated) and the entry's attempt.</summary>
    private async Task<List<ExportPhoto>[]> PhotosAsync(IReadOnlyList<StoredLedgerEntry> entries, IReadOnlyList<IReadOnlyDictionary<string, string>> fields, CancellationToken cancellationToken)
    {
        var wanted = new List<ExportPhoto>[entries.Count];
        var deviceRefs = new HashSet<(string Device, string Photo)>();
        var attempts = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < entries.Count; i++)
        {
            wanted[i] = [];
            foreach ((string key, string value) in fields[i])
            {
                if (!key.Contains("photo", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                foreach (string item in value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (Sha256Pattern().IsMatch(item))
                    {
                        wanted[i].Add(new ExportPhoto(item, null, null, key));
                    }
                    else if (entries[i].DeviceId is { } device)
                    {
                        wanted[i].Add(new ExportPhoto(null, device, item, key));
                        deviceRefs.Add((device, item));
                    }
                }
            }

            if (Field(fields[i], "attempt") is { } attempt)
            {
                attempts.Add(attempt);
            }
        }

        var byDevicePhoto = new Dictionary<(string, string), PhotoRef>();
        foreach (IGrouping<string, (string Device, string Photo)> device in deviceRefs.GroupBy(r => r.Device))
        {
            foreach (PhotoRef r in await photoCatalog.RefsOfDevicePhotosAsync(device.Key, device.Select(d => d.Photo), cancellationToken))
            {
                byDevicePhoto[(r.DeviceId, r.PhotoId)] = r;
            }
        }

        ILookup<string, PhotoRef> byAttempt = (await photoCatalog.RefsOfAttemptsAsync(attempts, cancellationToken)).ToLookup(r => r.AttemptId!, StringComparer.Ordinal);

        for (int i = 0; i < entries.Count; i++)
        {
            var resolved = wanted[i].Select(p => p.Sha256 is null && byDevicePhoto.TryGetValue((p.DeviceId!, p.PhotoId!), out PhotoRef? r)
                ? p with { Sha256 = r.Sha256, Purpose = r.Purpose }
                : p).ToList();
            if (Field(fields[i], "attempt") is { } attempt)
            {
                resolved.AddRange(byAttempt[attempt].Select(r => new ExportPhoto(r.Sha256, r.DeviceId, r.PhotoId, r.Purpose)));
            }

            wanted[i] = resolved.DistinctBy(p => p.Sha256 ?? p.DeviceId + "/" + p.PhotoId).ToList();
        }

        return wanted;
    }

    /// <summary>Fields printed in their own columns (left out of "details").</summary>
    private static readonly HashSet<string> ShownInColumns = new(StringComparer.Ordinal)
    {
        "application", "applicant", "applicantName", "applicantUnit", "applicantPost", "documents", "purpose", "copies", "appliedMs", "approvedMs", "approvers",
        "approversAtTime", "executorAtTime", "actorAtTime", "executedMs", "location", "lat", "lon",
    };

    private static long? Ms(IReadOnlyDictionary<string, string> fields, string name) =>
        long.TryParse(Field(fields, name), NumberStyles.None, CultureInfo.InvariantCulture, out long ms) && ms > 0 ? ms : null;

    private static string? Field(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out string? value) && value.Length > 0 ? value : null;
}
