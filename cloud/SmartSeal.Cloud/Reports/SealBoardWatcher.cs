using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Every <see cref="ReportsOptions.BoardPollInterval"/>: reads each seal's place, since, state and
/// custodian (one small query; an organisation has hundreds to a few thousand seals) and has the
/// notifier publish the seals that changed. This catches every writer — the cabinet and lock
/// orchestration, device events, another cloud instance — without each having to call the
/// notifier, and gives every instance's SSE clients the change although the feed is per instance.
/// </summary>
public sealed class SealBoardWatcher(SealRegistry register, SealBoardNotifier notifier, IOptions<ReportsOptions> options, TimeProvider time, ILogger<SealBoardWatcher> logger)
    : BackgroundService
{
    /// <summary>The watcher reads every seal: it only learns what changed, the board then shows each caller their own.</summary>
    private static readonly CallerScope Everyone = new("seal-board-watcher", true, [], []);

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
        IReadOnlyList<Seal> seals = await register.ListAsync(Everyone, null, null, cancellationToken);
        int published = 0;
        foreach (Seal seal in seals)
        {
            string id = seal.Id;
            string fingerprint = SealBoardNotifier.Fingerprint(Kebab.Of(seal.LocationKind), seal.LocationRef, seal.LocationMs, Kebab.Of(seal.State), seal.Custodian);
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
