namespace SmartSeal.Cloud.Storage;

/// <summary>
/// The loop of an outbox sender (alarm webhooks, work notices): send what is due, and when nothing
/// was, wait for a nudge or the poll interval. An exception is logged and the loop goes on — a
/// stopped BackgroundService would stop the host.
/// </summary>
public static class OutboxLoop
{
    public static async Task RunAsync(
        Func<CancellationToken, Task<int>> dispatchDue, Func<CancellationToken, Task> waitForWork, ILogger logger, string what, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent = 0;
            try
            {
                sent = await dispatchDue(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "{What} dispatch failed; trying again shortly", what);
            }

            if (sent == 0)
            {
                try
                {
                    await waitForWork(stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
