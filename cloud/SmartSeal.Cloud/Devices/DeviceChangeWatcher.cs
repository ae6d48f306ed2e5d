namespace SmartSeal.Cloud.Devices;

/// <summary>
/// Follows the registry's change feed even when no device traffic makes the cache read it, so a
/// rotation or retirement made by another process (the CLI, another instance) ends the device's
/// broker session here within one interval. (A rotation made in this process is seen at once: the
/// provisioner catches up right after its commit.)
/// </summary>
public sealed class DeviceChangeWatcher(DeviceCache cache, TimeProvider time, ILogger<DeviceChangeWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await cache.CatchUpAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Reading the device change feed failed; trying again in {Interval}", Interval);
            }
        }
    }
}
