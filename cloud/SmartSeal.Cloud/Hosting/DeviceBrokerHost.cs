using SmartSeal.Cloud.Devices;

namespace SmartSeal.Cloud.Hosting;

/// <summary>Starts and stops the chosen broker when it has a lifetime of its own (the IoT Hub client has none).</summary>
internal sealed class DeviceBrokerHost(IDeviceBroker broker) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => broker is IHostedService hosted ? hosted.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => broker is IHostedService hosted ? hosted.StopAsync(cancellationToken) : Task.CompletedTask;
}
