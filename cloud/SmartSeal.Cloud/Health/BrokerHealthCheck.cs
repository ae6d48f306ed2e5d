using Microsoft.Extensions.Diagnostics.HealthChecks;
using SmartSeal.Cloud.Devices;

namespace SmartSeal.Cloud.Health;

public sealed class BrokerHealthCheck(IDeviceBroker broker) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(broker.IsReady
            ? HealthCheckResult.Healthy(broker.Describe())
            : HealthCheckResult.Unhealthy(broker.Describe()));
}
