using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// The seal attendance board (印章出勤看板): for every seal the caller may see, where it is now
/// (the register's location columns, kept by the orchestration through
/// <c>SealRegistry.SetLocationAsync</c>), who holds it, since when, until when and whether it is
/// overdue. A seal in a lock or with a person is "out": its holder, since and due time come from
/// its open checkout (Checkouts/: the collection or lock trip of an approved application); without
/// one (a seal moved outside the checkout flow) from the latest approved application for it whose
/// window ends after the seal went out; a seal with a person and neither is held by that person
/// with no due time. Each part comes from its owner (the register, open checkouts, approved
/// applications, unit and people names), asked for the board's seals at once and joined here.
/// </summary>
public sealed class SealBoard(SealRegistry register, OrgStore org, OrgDirectory directory, SealDirectory sealDirectory, CheckoutDirectory checkouts, ApplicationDirectory applications, TimeProvider time)
{
    /// <summary>The most seals an applicant's board lists (as many as the application form offers).</summary>
    public const int ApplicableLimit = 500;

    /// <summary>
    /// The board of the seals <paramref name="login"/> may apply for (in-use seals of the units on their line of the tree:
    /// their own unit, its parents and its sub-units — what the application form offers), so an applicant sees whether
    /// the seal is in, out with whom, and when it is due back before applying.
    /// </summary>
    public async Task<IReadOnlyList<SealBoardRow>> ApplicableAsync(string login, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> units = await directory.UnitsOnLineOfUserAsync(login, cancellationToken);
        var ids = (await sealDirectory.InUseInUnitsAsync(units, ApplicableLimit, cancellationToken)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return [];
        }

        IReadOnlyList<Seal> seals = (await register.ListAsync(new CallerScope(login, true, [], []), null, SealState.InUse, cancellationToken)).Where(s => ids.Contains(s.Id)).ToList();
        return await RowsAsync(seals, cancellationToken);
    }

    public async Task<IReadOnlyList<SealBoardRow>> ReadAsync(CallerScope scope, string? unitId, string? sealId, CancellationToken cancellationToken = default)
    {
        if (!scope.Everything && scope.UnitIds.Count == 0)
        {
            return [];
        }

        IReadOnlyList<Seal> seals = sealId is null
            ? await register.ListAsync(scope, unitId, null, cancellationToken)
            : await register.FindAsync(sealId, scope, cancellationToken) is { } one && (unitId is null || (await org.SubtreesAsync([unitId], cancellationToken)).Contains(one.UnitId))
                ? [one]
                : [];
        return await RowsAsync(seals, cancellationToken);
    }

    private async Task<IReadOnlyList<SealBoardRow>> RowsAsync(IReadOnlyList<Seal> seals, CancellationToken cancellationToken)
    {
        List<Seal> away = seals.Where(s => s.LocationKind is SealLocationKind.Lock or SealLocationKind.Person).ToList();
        IReadOnlyList<ClosedCheckout> closed = await checkouts.ClosedOfSealsAsync(away.Select(s => s.Id), cancellationToken);
        // A lock trip returned without a cabinet leaves the seal with the keeper who took it back (a person location set
        // at the very moment of the return): that seal is back in custody, not out — and its finished application must
        // not be read as a current outing (the board once showed such a seal 外出 with the trip's due time).
        var returnedToKeeper = closed.Where(c => c.ReturnedMs is { } back && away.Any(s => s.Id == c.SealId && s.LocationKind == SealLocationKind.Person && s.LocationMs == back))
            .Select(c => c.SealId).ToHashSet(StringComparer.Ordinal);
        bool IsOut(Seal seal) => seal.LocationKind == SealLocationKind.Lock || (seal.LocationKind == SealLocationKind.Person && !returnedToKeeper.Contains(seal.Id));
        List<Seal> outside = seals.Where(IsOut).ToList();
        Dictionary<string, Outing> outings = await LatestApprovedAsync(outside, closed.Select(c => c.ApplicationId).ToHashSet(StringComparer.Ordinal), cancellationToken);
        foreach (OpenCheckout checkout in await checkouts.OpenOfSealsAsync(outside.Select(s => s.Id), cancellationToken))
        {
            // the checkout is the record of this outing: it wins over the inference
            outings[checkout.SealId] = new Outing(checkout.ApplicationId, checkout.Holder, checkout.DueMs, checkout.OutMs);
        }

        IReadOnlyDictionary<string, string> unitNames = await directory.UnitNamesAsync(seals.Select(s => s.UnitId), cancellationToken);
        var logins = seals.Select(s => s.Custodian).Concat(outings.Values.Select(a => a.Holder))
            .Concat(seals.Where(s => s.LocationKind == SealLocationKind.Person).Select(s => s.LocationRef)).OfType<string>();
        IReadOnlyDictionary<string, PersonCard> people = await directory.PeopleAsync(logins, cancellationToken);
        string? NameOf(string? login) => login is not null && people.TryGetValue(login, out PersonCard? person) ? person.Name : null;
        string? LabelOf(string? login) => login is not null && people.TryGetValue(login, out PersonCard? person) ? person.Label : login;

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return seals.Select(s =>
        {
            bool isOut = IsOut(s);
            Outing? outing = isOut && outings.TryGetValue(s.Id, out Outing? found) ? found : null;
            string? holder = s.LocationKind switch
            {
                SealLocationKind.Person => s.LocationRef,
                SealLocationKind.Lock => outing?.Holder,
                _ => null,
            };
            long? until = outing?.DueMs;
            long? since = outing?.OutMs ?? (s.LocationMs > 0 ? s.LocationMs : null);
            return new SealBoardRow(
                s.Id, s.Name, Kebab.Of(s.Type), s.UnitId, unitNames.GetValueOrDefault(s.UnitId, ""), Kebab.Of(s.State), s.Custodian, NameOf(s.Custodian),
                Kebab.Of(s.LocationKind), s.LocationRef, s.LocationMs, Describe(s), isOut, holder, NameOf(holder),
                since, until, outing?.ApplicationId, outing?.OutMs is not null, isOut && until is { } due && due < now,
                s.LocationKind == SealLocationKind.Person ? LabelOf(s.LocationRef) : s.LocationRef, returnedToKeeper.Contains(s.Id));
        }).ToList();
    }

    private static string Describe(Seal s) => s.LocationKind switch
    {
        SealLocationKind.Cabinet => $"印章柜 cabinet {s.LocationRef}",
        SealLocationKind.Lock => $"印控锁 lock {s.LocationRef}",
        SealLocationKind.Person => $"随人 with {s.LocationRef}",
        _ => "未知 unknown",
    };

    /// <summary>Per seal out of the cabinet: the latest approved application whose window ends after the seal went out.</summary>
    private async Task<Dictionary<string, Outing>> LatestApprovedAsync(List<Seal> seals, HashSet<string> finished, CancellationToken cancellationToken)
    {
        var since = seals.ToDictionary(s => s.Id, s => s.LocationMs, StringComparer.Ordinal);
        var latest = new Dictionary<string, ApprovedApplication>(StringComparer.Ordinal);
        foreach (ApprovedApplication a in await applications.ApprovedForSealsAsync(since.Keys, cancellationToken))
        {
            if (!finished.Contains(a.Id) && a.WindowToMs >= since[a.SealId] && (!latest.TryGetValue(a.SealId, out ApprovedApplication? known) || (a.DecidedMs ?? 0) > (known.DecidedMs ?? 0)))
            {
                latest[a.SealId] = a;
            }
        }

        return latest.Values.ToDictionary(a => a.SealId, a => new Outing(a.Id, a.Applicant, a.WindowToMs, null), StringComparer.Ordinal);
    }

    /// <summary>Who has the seal out and until when: its open checkout (<see cref="OutMs"/> set), or the approved application inferred for it.</summary>
    private sealed record Outing(string ApplicationId, string Holder, long DueMs, long? OutMs);
}

/// <summary>
/// One line of the board. Times are Unix ms; <see cref="FromCheckout"/>: holder and times come from
/// the seal's open checkout (else inferred from the latest approved application);
/// <see cref="Overdue"/>: out and past <see cref="UntilMs"/>; <see cref="PlaceName"/>: the place as people read it
/// (a person as "name · unit · post", else the place's code); <see cref="ReturnedToKeeper"/>: back from a lock trip, with the keeper who took it.
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
    bool Overdue,
    string? PlaceName = null,
    bool ReturnedToKeeper = false);
