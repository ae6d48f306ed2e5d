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
            int version = await connection.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
            int expected = Migrator.Scripts.Count == 0 ? 0 : Migrator.Scripts[^1].Version; // versions may have gaps
            return version == expected
                ? HealthCheckResult.Healthy($"{database.Describe()}, schema V{version:000}")
                : HealthCheckResult.Unhealthy($"{database.Describe()}: schema V{version:000}, expected V{expected:000}");
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{database.Describe()}: {e.Message}");
        }
    }
}
