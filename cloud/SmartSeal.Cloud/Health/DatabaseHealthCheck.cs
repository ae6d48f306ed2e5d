using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Health;

public sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using DbConnection connection = await database.OpenAsync(cancellationToken);
            var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
            int[] missing = Migrator.Scripts.Select(s => s.Version).Where(v => !applied.Contains(v)).ToArray();
            return missing.Length == 0
                ? HealthCheckResult.Healthy($"{database.Describe()}, schema V{applied.Max():000}")
                : HealthCheckResult.Unhealthy($"{database.Describe()}: migrations not applied: {string.Join(", ", missing.Select(v => $"V{v:000}"))}");
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{database.Describe()}: {e.Message}");
        }
    }
}
