namespace SmartSeal.Cloud.Storage;

/// <summary>Brings the database schema up to date before the host serves anything (hosted services start in order).</summary>
public sealed class MigrationService(Migrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
