using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Ledger;

namespace SmartSeal.Cloud.Tests.Backup;

/// <summary>The restore drill on PostgreSQL: <c>pg_dump</c> while the cloud runs, more writes, the database replaced by <c>pg_restore --clean</c>; a dump that is no archive is refused.</summary>
public sealed class RestoreDrillOnPostgresTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _outside = Directory.CreateTempSubdirectory("smartseal-pgdrill-").FullName;

    [Fact]
    public async Task On_PostgreSQL_the_pg_dump_backup_restores_to_the_backup_point_and_a_forged_dump_is_refused()
    {
        if (!TestServices.Available(TestServices.Postgres != null, $"PostgreSQL ({TestServices.PostgresVariable})", output))
        {
            return;
        }

        await using PostgresTestDatabase database = await PostgresTestDatabase.CreateAsync(TestServices.Postgres!);
        var environment = new Dictionary<string, string> { ["SmartSeal__Database__Provider"] = "Postgres", ["SmartSeal__Database__ConnectionString"] = database.ConnectionString };
        string backup = Path.Combine(_outside, "backup");
        string head = Path.Combine(_outside, "head.json");
        string seal = "seal-pgdrill-" + Guid.NewGuid().ToString("n")[..6];
        string dataDirectory;
        await using (var cloud = new PostgresCloudFactory(database.ConnectionString))
        {
            _ = cloud.Server;
            dataDirectory = cloud.Service<IOptions<SmartSealOptions>>().Value.DataDirectory;
            await LedgerTamper.AppendAsync(cloud, seal, 1, 5);
            (int exit, string text) = await CloudCliProcess.RunAsync(output, dataDirectory, environment, "backup", "--out", backup);
            Assert.True(exit == 0, text);
            Assert.Contains("backup of the postgres database", text);
            await LedgerTamper.AppendAsync(cloud, seal, 6, 8);
            (exit, text) = await CloudCliProcess.RunAsync(output, dataDirectory, environment, "ledger", "checkpoint", "--out", head);
            Assert.True(exit == 0, text);
            cloud.AssertNoErrors();
        }

        string forged = BackupFolders.Copy(backup, Path.Combine(_outside, "forged"));
        BackupFolders.FlipByte(Path.Combine(forged, "database.pgdump"), at: 0); // "PGDMP" no more
        BackupFolders.Reseal(forged, "database.pgdump");
        (int code, string said) = await CloudCliProcess.RunAsync(output, dataDirectory, environment, "restore", "--from", forged);
        Assert.Equal(2, code);
        Assert.Contains("pg_restore failed", said);

        (code, said) = await CloudCliProcess.RunAsync(output, dataDirectory, environment, "restore", "--from", backup);
        Assert.True(code == 0, said);
        (code, said) = await CloudCliProcess.RunAsync(output, dataDirectory, environment, "ledger", "verify", "--seal", seal);
        Assert.True(code == 0, said);
        Assert.StartsWith("5 entries in 1 chains", said);
        (code, said) = await CloudCliProcess.RunAsync(output, dataDirectory, environment, "ledger", "verify", "--trusted-head", head);
        Assert.Equal(1, code);
        Assert.Contains($"BROKEN {seal} #8", said);
    }

    public void Dispose() => Directory.Delete(_outside, recursive: true);
}
