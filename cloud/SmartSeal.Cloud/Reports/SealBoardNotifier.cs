using System.Collections.Concurrent;
using SmartSeal.Cloud.LiveFeed;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Publishes a seal's board line on the live feed (SSE event <c>seal-location</c>, device
/// <c>seal:{id}</c>) after its location changed. As an <see cref="ISealLocationListener"/> it hears
/// of changes the register raises after their transaction committed, for an immediate update
/// (custody hand-overs do); <see cref="SealBoardWatcher"/> catches every other change within its poll interval,
/// whichever code path or cloud instance made it. A line is published once per change: the last
/// published state of each seal is remembered. A failure here is logged, never thrown, so the
/// change it reports is not undone.
/// </summary>
public sealed class SealBoardNotifier(SealBoard board, LiveFeedHub hub, ILogger<SealBoardNotifier> logger) : ISealLocationListener
{
    public const string EventName = "seal-location";

    private readonly ConcurrentDictionary<string, string> _published = new(StringComparer.Ordinal);

    public async Task LocationChangedAsync(string sealId, CancellationToken cancellationToken = default)
    {
        try
        {
            IReadOnlyList<SealBoardRow> rows = await board.ReadAsync(new CallerScope("system", true, [], []), null, sealId, cancellationToken);
            if (rows.Count == 1)
            {
                _published[sealId] = Fingerprint(rows[0]);
                hub.Publish(EventName, "seal:" + sealId, rows[0]);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Seal {SealId}: location change not published on the live feed", sealId);
        }
    }

    /// <summary>Whether <paramref name="fingerprint"/> differs from what was last published (or seen) for the seal.</summary>
    public bool IsNew(string sealId, string fingerprint) => !_published.TryGetValue(sealId, out string? known) || known != fingerprint;

    /// <summary>Records a seal's current state without publishing (the watcher's first look).</summary>
    public void Seen(string sealId, string fingerprint) => _published[sealId] = fingerprint;

    /// <summary>What counts as a change on the board: place, since, state, custodian.</summary>
    public static string Fingerprint(string locationKind, string? locationRef, long locationMs, string state, string? custodian) =>
        string.Join('\u001f', locationKind, locationRef ?? "", locationMs.ToString(System.Globalization.CultureInfo.InvariantCulture), state, custodian ?? "");

    private static string Fingerprint(SealBoardRow row) => Fingerprint(row.LocationKind, row.LocationRef, row.LocationMs, row.State, row.Custodian);
}
