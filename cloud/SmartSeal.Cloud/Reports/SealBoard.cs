using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// The seal attendance board (印章出勤看板): for every seal the caller may see, where it is now
/// (the register's location columns, kept by the orchestration through
/// <c>SealRegistry.SetLocationAsync</c>), who holds it, since when, until when and whether it is
/// overdue. A seal in a lock or with a person is "out": its holder, since and due time come from
/// its open checkout (Checkouts/: the collection or lock trip of an approved application); without
/// one (a seal moved outside the checkout flow) from the latest approved application for it whose
/// window ends after the seal went out; a seal with a person and neither is held by that person
/// with no due time.
/// </summary>
public sealed class SealBoard(Database database, TimeProvider time)
{
    public async Task<IReadOnlyList<SealBoardRow>> ReadAsync(CallerScope scope, string? unitId, string? sealId, CancellationToken cancellationToken = default)
    {
        if (!scope.Everything && scope.UnitIds.Count == 0)
        {
            return [];
        }

        var parameters = new DynamicParameters(new { unitId, sealId });
        string where = new LedgerAudience(scope.Actor, scope.Everything, scope.UnitIds).UnitCondition(parameters, "u");
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        List<SealFacts> seals = (await connection.QueryAsync<SealFacts>(
            $"""
            SELECT s.id AS Id, s.name AS Name, s.type AS Type, s.unit_id AS UnitId, u.name_zh AS UnitName, s.state AS State, s.custodian AS Custodian,
                   s.location_kind AS LocationKind, s.location_ref AS LocationRef, s.location_ms AS LocationMs
            FROM seals s JOIN org_units u ON u.id = s.unit_id
            WHERE {where}
              AND (@unitId IS NULL OR {UnitSubtree.OfUnit("u", "@unitId")})
              AND (@sealId IS NULL OR s.id = @sealId)
            ORDER BY s.unit_id, s.id
            """,
            parameters)).ToList();

        List<SealFacts> outside = seals.Where(s => s.LocationKind is "lock" or "person").ToList();
        Dictionary<string, ApplicationFacts> applications = await LatestApprovedAsync(connection, outside);
        foreach ((string outSeal, ApplicationFacts checkout) in await OpenCheckoutsAsync(connection, outside))
        {
            applications[outSeal] = checkout; // the checkout is the record of this outing: it wins over the inference
        }

        var logins = seals.Select(s => s.Custodian).Concat(applications.Values.Select(a => a.Applicant))
            .Concat(seals.Where(s => s.LocationKind == "person").Select(s => s.LocationRef)).OfType<string>().Distinct().ToList();
        Dictionary<string, string> names = await NamesAsync(connection, logins);

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return seals.Select(s =>
        {
            bool isOut = s.LocationKind is "lock" or "person";
            ApplicationFacts? application = isOut && applications.TryGetValue(s.Id, out ApplicationFacts? found) ? found : null;
            string? holder = s.LocationKind switch
            {
                "person" => s.LocationRef,
                "lock" => application?.Applicant,
                _ => null,
            };
            long? until = application?.WindowToMs;
            long? since = application?.OutMs ?? (s.LocationMs > 0 ? s.LocationMs : null);
            return new SealBoardRow(
                s.Id, s.Name, s.Type, s.UnitId, s.UnitName, s.State, s.Custodian, s.Custodian is null ? null : names.GetValueOrDefault(s.Custodian),
                s.LocationKind, s.LocationRef, s.LocationMs, Describe(s), isOut, holder, holder is null ? null : names.GetValueOrDefault(holder),
                since, until, application?.Id, application?.OutMs is not null, isOut && until is { } due && due < now);
        }).ToList();
    }

    private static string Describe(SealFacts s) => s.LocationKind switch
    {
        "cabinet" => $"印章柜 cabinet {s.LocationRef}",
        "lock" => $"印控锁 lock {s.LocationRef}",
        "person" => $"随人 with {s.LocationRef}",
        _ => "未知 unknown",
    };

    /// <summary>Per seal out of the cabinet: the latest approved application whose window ends after the seal went out.</summary>
    private static async Task<Dictionary<string, ApplicationFacts>> LatestApprovedAsync(DbConnection connection, List<SealFacts> seals)
    {
        var latest = new Dictionary<string, ApplicationFacts>(StringComparer.Ordinal);
        foreach (SealFacts[] chunk in seals.Chunk(100))
        {
            var parameters = new DynamicParameters();
            string names = Storage.SqlList.In(parameters, "s", chunk.Select(s => s.Id).ToArray());

            var since = chunk.ToDictionary(s => s.Id, s => s.LocationMs, StringComparer.Ordinal);
            foreach (ApplicationFacts a in await connection.QueryAsync<ApplicationFacts>(
                         $"""
                         SELECT id AS Id, seal_id AS SealId, applicant AS Applicant, window_to_ms AS WindowToMs, decided_ms AS DecidedMs, NULL AS OutMs
                         FROM applications WHERE status = 'approved' AND seal_id IN {names}
                         """,
                         parameters))
            {
                if (a.WindowToMs >= since[a.SealId] && (!latest.TryGetValue(a.SealId, out ApplicationFacts? known) || (a.DecidedMs ?? 0) > (known.DecidedMs ?? 0)))
                {
                    latest[a.SealId] = a;
                }
            }
        }

        return latest;
    }

    /// <summary>Open checkouts (status out) of these seals: holder, when it went out, when it is due back.</summary>
    private static async Task<Dictionary<string, ApplicationFacts>> OpenCheckoutsAsync(DbConnection connection, List<SealFacts> seals)
    {
        var open = new Dictionary<string, ApplicationFacts>(StringComparer.Ordinal);
        foreach (SealFacts[] chunk in seals.Chunk(100))
        {
            var parameters = new DynamicParameters();
            string names = Storage.SqlList.In(parameters, "s", chunk.Select(s => s.Id).ToArray());

            foreach (ApplicationFacts c in await connection.QueryAsync<ApplicationFacts>(
                         $"""
                         SELECT application_id AS Id, seal_id AS SealId, holder AS Applicant, due_ms AS WindowToMs, out_ms AS DecidedMs, out_ms AS OutMs
                         FROM checkouts WHERE status = 'out' AND seal_id IN {names}
                         """,
                         parameters))
            {
                open[c.SealId] = c;
            }
        }

        return open;
    }

    private static async Task<Dictionary<string, string>> NamesAsync(DbConnection connection, List<string> logins)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string[] chunk in logins.Chunk(100))
        {
            var parameters = new DynamicParameters();
            string list = Storage.SqlList.In(parameters, "l", chunk);

            foreach ((string login, string name) in await connection.QueryAsync<(string, string)>($"SELECT login, display_name FROM users WHERE login IN {list}", parameters))
            {
                names[login] = name;
            }
        }

        return names;
    }

    private sealed record SealFacts(string Id, string Name, string Type, string UnitId, string UnitName, string State, string? Custodian, string LocationKind, string? LocationRef, long LocationMs);

    /// <summary>An approved application, or an open checkout (then <see cref="OutMs"/> is set).</summary>
    private sealed class ApplicationFacts
    {
        public string Id { get; set; } = "";

        public string SealId { get; set; } = "";

        public string Applicant { get; set; } = "";

        public long WindowToMs { get; set; }

        public long? DecidedMs { get; set; }

        public long? OutMs { get; set; }
    }
}

/// <summary>
/// One line of the board. Times are Unix ms; <see cref="FromCheckout"/>: holder and times come from
/// the seal's open checkout (else inferred from the latest approved application);
/// <see cref="Overdue"/>: out and past <see cref="UntilMs"/>.
/// </summary>
public sealed record SealBoardRow(
    string SealId,
    string Name,
    string Type,
    string UnitId,
    string UnitName,
    string State,
    string? Custodian,
    string? CustodianName,
    string LocationKind,
    string? LocationRef,
    long LocationMs,
    string Where,
    bool Out,
    string? Holder,
    string? HolderName,
    long? SinceMs,
    long? UntilMs,
    string? ApplicationId,
    bool FromCheckout,
    bool Overdue);
