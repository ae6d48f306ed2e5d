using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.Commands;

/// <summary>
/// Delivers queued commands to devices that came online, and every
/// <see cref="CommandOptions.SweepIntervalSeconds"/> expires overdue commands and delivers to any
/// online device that still has queued ones (a presence change handled by another instance, a
/// publish that failed).
/// </summary>
public sealed class CommandBackgroundService(
    CommandService commands,
    CommandDeliveryQueue queue,
    IOptions<CommandOptions> options,
    ILogger<CommandBackgroundService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(DeliverAsync(stoppingToken), SweepAsync(stoppingToken));

    private async Task DeliverAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (string deviceId in queue.Reader.ReadAllAsync(stoppingToken))
            {
                queue.Taken(deviceId);
                await GuardAsync(() => commands.DeliverQueuedAsync(deviceId, stoppingToken), "deliver queued commands to " + deviceId);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Value.SweepIntervalSeconds)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await GuardAsync(() => commands.ExpireOverdueAsync(stoppingToken), "expire overdue commands");
                await GuardAsync(
                    async () =>
                    {
                        foreach (string deviceId in await commands.OnlineDevicesWithQueuedCommandsAsync(stoppingToken))
                        {
                            queue.Enqueue(deviceId);
                        }
                    },
                    "find queued commands of online devices");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task GuardAsync(Func<Task> work, string what)
    {
        try
        {
            await work();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database may be restarting: the next presence change or sweep tries again.
            logger.LogWarning(e, "Could not {What}; will retry", what);
        }
    }
}
