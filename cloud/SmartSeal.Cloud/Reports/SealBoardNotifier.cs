using SmartSeal.Cloud.LiveFeed;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Publishes a seal's board line on the live feed (SSE event <c>seal-location</c>, device
/// <c>seal:{id}</c>) after its location changed. Call it after the transaction that ran
/// <c>SealRegistry.SetLocationAsync</c> committed (the cabinet and lock orchestration, custody
/// hand-overs); a failure here is logged, never thrown, so the change it reports is not undone.
/// </summary>
public sealed class SealBoardNotifier(SealBoard board, LiveFeedHub hub, ILogger<SealBoardNotifier> logger)
{
    public const string EventName = "seal-location";

    public async Task LocationChangedAsync(string sealId, CancellationToken cancellationToken = default)
    {
        try
        {
            IReadOnlyList<SealBoardRow> rows = await board.ReadAsync(new CallerScope("system", true, [], []), null, sealId, cancellationToken);
            if (rows.Count == 1)
            {
                hub.Publish(EventName, "seal:" + sealId, rows[0]);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Seal {SealId}: location change not published on the live feed", sealId);
        }
    }
}
