using SmartSeal.Cloud.Devices;

namespace SmartSeal.Cloud.Commands;

/// <summary>
/// At start, once the broker is ready, publishes every device's desired state again: the embedded
/// broker keeps retained messages only in memory, and a device that reconnects after a cloud
/// restart must still find its state (a disabled seal stays disabled). After a key rotation it
/// publishes that device's state again, signed with the new key.
/// </summary>
public sealed class DesiredStateRepublisher(DesiredStateService states, IDeviceBroker broker, ILogger<DesiredStateRepublisher> logger) : BackgroundService, IDeviceKeyRotated
{
    public Task KeyRotatedAsync(string deviceId, CancellationToken cancellationToken) => states.PublishAsync(deviceId, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (int attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            if (!broker.IsReady)
            {
                await Task.Delay(200, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            try
            {
                int count = await states.RepublishAllAsync(stoppingToken);
                logger.LogInformation("Republished the desired state of {Count} devices (retained)", count);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Republishing desired states failed (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, attempt)), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
