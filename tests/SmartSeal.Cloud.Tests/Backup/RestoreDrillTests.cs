using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Ledger;

namespace SmartSeal.Cloud.Tests.Backup;

/// <summary>
/// The restore drill, through the real <c>smartseal-cloud backup / restore / ledger</c> commands:
/// back up a running cloud, write more, lose the whole data directory, refuse damaged backups without
/// touching anything, restore, and the ledger verifier finds the chain intact up to the backup and
/// the later entries missing against the head kept outside.
/// </summary>
public sealed class RestoreDrillTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _outside = Directory.CreateTempSubdirectory("smartseal-drill-").FullName;

    [Fact]
    public async Task Backup_write_more_lose_everything_refuse_damaged_backups_restore_and_the_verifier_sees_the_later_entries_missing()
    {
        string backup = Path.Combine(_outside, "backup");
        string head = Path.Combine(_outside, "head.json");
        string seal = "seal-drill-" + Guid.NewGuid().ToString("n")[..6];
        string dataDirectory;
        await using (var cloud = new CloudFactory())
        {
            _ = cloud.Server;
            dataDirectory = cloud.Service<IOptions<SmartSealOptions>>().Value.DataDirectory;
            await LedgerTamper.AppendAsync(cloud, seal, 1, 5);

            // Online: the cloud keeps running while the backup is taken.
            (int exit, string text) = await CliAsync(dataDirectory, "backup", "--out", backup);
            Assert.True(exit == 0, text);
            Assert.Contains("backup of the sqlite database", text);
            Assert.True(File.Exists(Path.Combine(backup, "manifest.json")));
            Assert.False(Directory.Exists(Path.Combine(backup, "data", "ledger-witness")), "the witness is never in a backup");

            await LedgerTamper.AppendAsync(cloud, seal, 6, 8);
            (exit, text) = await CliAsync(dataDirectory, "ledger", "checkpoint", "--out", head);
            Assert.True(exit == 0, text);
            cloud.AssertNoErrors();
        }

        // The disk is lost: database, photos, keys — everything in the data directory.
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        string database = Path.Combine(dataDirectory, "smartseal.db");

        // A dump with one flipped byte: refused by its SHA-256, nothing written.
        string damaged = BackupFolders.Copy(backup, Path.Combine(_outside, "damaged"));
        BackupFolders.FlipByte(Path.Combine(damaged, "database.sqlite"));
        (int code, string said) = await CliAsync(dataDirectory, "restore", "--from", damaged);
        Assert.Equal(2, code);
        Assert.Contains("database.sqlite is damaged", said);
        Assert.Contains("nothing restored", said);
        Assert.False(File.Exists(database));

        // A dump that is not a database though its manifest agrees: refused by SQLite's own check.
        string forged = BackupFolders.Copy(backup, Path.Combine(_outside, "forged"));
        await File.WriteAllTextAsync(Path.Combine(forged, "database.sqlite"), "not a database at all");
        BackupFolders.Reseal(forged, "database.sqlite");
        (code, said) = await CliAsync(dataDirectory, "restore", "--from", forged);
        Assert.Equal(2, code);
        Assert.Contains("database.sqlite is not a readable SQLite database", said);
        Assert.False(File.Exists(database));

        // A folder that is no backup (or one that never finished: the manifest is written last).
        (code, said) = await CliAsync(dataDirectory, "restore", "--from", _outside);
        Assert.Equal(2, code);
        Assert.Contains("holds no manifest.json", said);

        (code, said) = await CliAsync(dataDirectory, "restore", "--from", backup);
        Assert.True(code == 0, said);
        Assert.Contains("restored the sqlite database", said);

        // By itself the restored ledger is intact — up to the backup point …
        (code, said) = await CliAsync(dataDirectory, "ledger", "verify", "--seal", seal);
        Assert.True(code == 0, said);
        Assert.StartsWith("5 entries in 1 chains", said);
        Assert.Contains("intact", said);

        // … and the head kept outside shows what the backup lacks: entries 6–8.
        (code, said) = await CliAsync(dataDirectory, "ledger", "verify", "--trusted-head", head);
        Assert.Equal(1, code);
        Assert.Contains($"BROKEN {seal} #8", said);
        Assert.Contains("NOT INTACT", said);
    }

    public void Dispose() => Directory.Delete(_outside, recursive: true);

    private Task<(int Exit, string Text)> CliAsync(string dataDirectory, params string[] arguments) =>
        CloudCliProcess.RunAsync(output, dataDirectory, null, arguments);
}
