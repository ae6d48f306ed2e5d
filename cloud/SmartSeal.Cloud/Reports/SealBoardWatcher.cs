using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Every <see cref="ReportsOptions.BoardPollInterval"/>: reads each seal's place, since, state and
/// custodian (one small query; an organisation has hundreds to a few thousand seals) and has the
/// notifier publish the seals that changed. This catches every writer — the cabinet and lock
/// orchestration, device events, another cloud instance — without each having to call the
/// notifier, and gives every instance's SSE clients the change although the feed is per instance.
/// </summary>
public sealed class SealBoardWatcher(Database database, SealBoardNotifier notifier, IOptions<ReportsOptions> options, TimeProvider time, ILogger<SealBoardWatcher> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private bool _seeded;

    /// <summary>One look (one at a time): returns the seals published (none on the first look, which only learns the current state).</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken = default)
    {
        await _one.WaitAsync(cancellationToken);
        try
        {
            return await LookAsync(cancellationToken);
        }
        finally
        {
            _one.Release();
        }
    }

    public override void Dispose()
    {
        _one.Dispose();
        base.Dispose();
    }

    private async Task<int> LookAsync(CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var seals = await connection.QueryAsync<(string Id, string Kind, string? Ref, long Ms, string State, string? Custodian)>(
            "SELECT id, location_kind, location_ref, location_ms, state, custodian FROM seals");
        int published = 0;
        foreach ((string id, string kind, string? reference, long ms, string state, string? custodian) in seals)
        {
            string fingerprint = SealBoardNotifier.Fingerprint(kind, reference, ms, state, custodian);
            if (!notifier.IsNew(id, fingerprint))
            {
                continue;
            }

            if (_seeded)
            {
                await notifier.LocationChangedAsync(id, cancellationToken);
                published++;
            }
            else
            {
                notifier.Seen(id, fingerprint);
            }
        }

        _seeded = true;
        return published;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.BoardPollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Seal board poll failed; trying again in {Interval}", options.Value.BoardPollInterval);
            }
        }
    }
}
