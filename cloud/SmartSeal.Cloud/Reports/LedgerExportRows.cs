using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Dapper;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Turns ledger entries into <see cref="LedgerExportRow"/>s: looks up, a page at a time, the
/// applications the entries belong to (applicant, unit, post, documents, purpose, copies, times,
/// approvers from the approval state), seal names, people's display names and the photos the
/// entries name (a SHA-256, a device photo id, or every photo of the entry's attempt).
/// </summary>
public sealed partial class LedgerExportRows(Database database, LedgerReader reader)
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
        await using DbConnection connection = await database.OpenAsync(cancellationToken);

        var applicationIds = entries.Select((e, i) => e.ApplicationId ?? Field(fields[i], "application")).OfType<string>().Distinct().ToList();
        Dictionary<string, ApplicationFacts> applications = (await QueryInAsync<ApplicationFacts>(connection,
                "SELECT id AS Id, applicant AS Applicant, applicant_unit AS ApplicantUnit, purpose AS Purpose, documents AS Documents, stamps AS Stamps, status AS Status, state AS State, submitted_ms AS SubmittedMs, decided_ms AS DecidedMs FROM applications WHERE id IN ({0})",
                applicationIds))
            .ToDictionary(a => a.Id, StringComparer.Ordinal);

        var approvers = applications.Values.ToDictionary(a => a.Id, ApproversOf, StringComparer.Ordinal);
        var logins = applications.Values.Select(a => a.Applicant)
            .Concat(approvers.Values.SelectMany(a => a))
            .Concat(fields.SelectMany(f => (Field(f, "approvers") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .Concat(entries.Select(e => e.Actor).OfType<string>())
            .Distinct().ToList();
        Dictionary<string, PersonFacts> people = (await QueryInAsync<PersonFacts>(connection,
                "SELECT login AS Login, display_name AS DisplayName, unit_id AS UnitId, post AS Post FROM users WHERE login IN ({0})", logins))
            .ToDictionary(p => p.Login, StringComparer.Ordinal);
        Dictionary<string, string> unitNames = (await QueryInAsync<(string Id, string Name)>(connection,
                "SELECT id, name_zh FROM org_units WHERE id IN ({0})", applications.Values.Select(a => a.ApplicantUnit).Distinct().ToList()))
            .ToDictionary(u => u.Id, u => u.Name, StringComparer.Ordinal);
        Dictionary<string, string> sealNames = (await QueryInAsync<(string Id, string Name)>(connection,
                "SELECT id, name FROM seals WHERE id IN ({0})", entries.Select(e => e.SealId).Distinct().ToList()))
            .ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal);
        List<ExportPhoto>[] photos = await PhotosAsync(connection, entries, fields);

        var rows = new List<LedgerExportRow>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            StoredLedgerEntry e = entries[i];
            IReadOnlyDictionary<string, string> f = fields[i];
            string? applicationId = e.ApplicationId ?? Field(f, "application");
            ApplicationFacts? app = applicationId is not null && applications.TryGetValue(applicationId, out ApplicationFacts? found) ? found : null;
            PersonFacts? applicant = app is not null && people.TryGetValue(app.Applicant, out PersonFacts? p) ? p : null;
            string? executor = e.Actor ?? Field(f, "subject") ?? Field(f, "user") ?? app?.Applicant;
            // Facts the entry itself carries (Checkouts/UseFacts: recorded at the moment of use, covered by the hash) win over
            // today's lookups, so a later change of a person's name or post does not rewrite the printed ledger.
            rows.Add(new LedgerExportRow(
                e.Id, e.SealId, sealNames.GetValueOrDefault(e.SealId), e.Seq, e.Kind, e.AtMs, e.RecordedMs, applicationId,
                Field(f, "applicantName") ?? applicant?.DisplayName ?? app?.Applicant,
                Field(f, "applicantUnit") ?? (app is null ? null : unitNames.GetValueOrDefault(app.ApplicantUnit, app.ApplicantUnit)),
                Field(f, "applicantPost") ?? applicant?.Post,
                Field(f, "documents") ?? (app is null ? null : string.Join("; ", ApplicationJson.Read<ApplicationDocument[]>(app.Documents).Select(d => $"{d.Name} ({d.Pages} p)"))),
                Field(f, "purpose") ?? app?.Purpose,
                int.TryParse(Field(f, "copies"), NumberStyles.None, CultureInfo.InvariantCulture, out int copies) ? copies : (int?)app?.Stamps,
                Ms(f, "appliedMs") ?? app?.SubmittedMs,
                Ms(f, "approvedMs") ?? (app is { Status: "approved" } ? app.DecidedMs : null),
                Field(f, "approvers") is { } recorded
                    ? string.Join(", ", recorded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(login => Name(people, login)))
                    : app is null ? null : string.Join(", ", approvers[app.Id].Select(login => Name(people, login))),
                executor is null ? null : Name(people, executor),
                e.DeviceId,
                LocationOf(e, f),
                photos[i],
                string.Join("; ", f.Where(kv => kv.Value.Length > 0 && !ShownInColumns.Contains(kv.Key)).Select(kv => kv.Key + "=" + kv.Value)),
                e.Hash));
        }

        return rows;
    }

    /// <summary>Approvers (login) whose approval carried the final round, in the order they approved.</summary>
    private static List<string> ApproversOf(ApplicationFacts application)
    {
        ApprovalState state = ApplicationJson.Read<ApprovalState>(application.State);
        return state.Votes.Where(v => v.Round == state.Round && v.Decision == Decision.Approve).OrderBy(v => v.AtMs)
            .Select(v => v.Actor == v.Approver ? v.Approver : v.Actor).Distinct().ToList();
    }

    private static string Name(Dictionary<string, PersonFacts> people, string login) =>
        people.TryGetValue(login, out PersonFacts? person) ? $"{person.DisplayName} ({login})" : login;

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
    private static async Task<List<ExportPhoto>[]> PhotosAsync(DbConnection connection, IReadOnlyList<StoredLedgerEntry> entries, IReadOnlyList<IReadOnlyDictionary<string, string>> fields)
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

        var byDevicePhoto = new Dictionary<(string, string), PhotoRefFacts>();
        foreach (IGrouping<string, (string Device, string Photo)> device in deviceRefs.GroupBy(r => r.Device))
        {
            foreach (PhotoRefFacts r in await QueryInAsync<PhotoRefFacts>(connection,
                         "SELECT device_id AS DeviceId, photo_id AS PhotoId, sha256 AS Sha256, purpose AS Purpose, attempt_id AS AttemptId FROM photo_refs WHERE device_id = @device AND photo_id IN ({0})",
                         device.Select(d => d.Photo).ToList(), new { device = device.Key }))
            {
                byDevicePhoto[(r.DeviceId, r.PhotoId)] = r;
            }
        }

        ILookup<string, PhotoRefFacts> byAttempt = (await QueryInAsync<PhotoRefFacts>(connection,
                "SELECT device_id AS DeviceId, photo_id AS PhotoId, sha256 AS Sha256, purpose AS Purpose, attempt_id AS AttemptId FROM photo_refs WHERE attempt_id IN ({0}) ORDER BY device_ms",
                attempts.ToList()))
            .ToLookup(r => r.AttemptId!, StringComparer.Ordinal);

        for (int i = 0; i < entries.Count; i++)
        {
            var resolved = wanted[i].Select(p => p.Sha256 is null && byDevicePhoto.TryGetValue((p.DeviceId!, p.PhotoId!), out PhotoRefFacts? r)
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
        "executedMs", "location", "lat", "lon",
    };

    private static long? Ms(IReadOnlyDictionary<string, string> fields, string name) =>
        long.TryParse(Field(fields, name), NumberStyles.None, CultureInfo.InvariantCulture, out long ms) && ms > 0 ? ms : null;

    private static string? Field(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out string? value) && value.Length > 0 ? value : null;

    /// <summary>Runs <paramref name="sql"/> with "{0}" replaced by a parameter list of <paramref name="values"/> (in chunks; nothing for none).</summary>
    private static async Task<List<T>> QueryInAsync<T>(DbConnection connection, string sql, IReadOnlyList<string> values, object? extra = null)
    {
        var results = new List<T>();
        foreach (string[] chunk in values.Chunk(500))
        {
            var parameters = new DynamicParameters(extra);
            var names = new string[chunk.Length];
            for (int i = 0; i < chunk.Length; i++)
            {
                parameters.Add("v" + i, chunk[i]);
                names[i] = "@v" + i;
            }

            results.AddRange(await connection.QueryAsync<T>(string.Format(CultureInfo.InvariantCulture, sql, string.Join(", ", names)), parameters));
        }

        return results;
    }

    /// <summary>A class with setters, not a positional record: Dapper then converts INTEGER columns (Int64 on SQLite, Int32 on PostgreSQL).</summary>
    private sealed class ApplicationFacts
    {
        public string Id { get; set; } = "";

        public string Applicant { get; set; } = "";

        public string ApplicantUnit { get; set; } = "";

        public string Purpose { get; set; } = "";

        public string Documents { get; set; } = "[]";

        public long Stamps { get; set; }

        public string Status { get; set; } = "";

        public string State { get; set; } = "";

        public long SubmittedMs { get; set; }

        public long? DecidedMs { get; set; }
    }

    private sealed record PersonFacts(string Login, string DisplayName, string UnitId, string? Post);

    private sealed record PhotoRefFacts(string DeviceId, string PhotoId, string Sha256, string Purpose, string? AttemptId);
}
