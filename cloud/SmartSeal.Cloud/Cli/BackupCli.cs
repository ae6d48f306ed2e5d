using System.CommandLine;
using SmartSeal.Cloud.Backup;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Cli;

/// <summary>
/// <c>smartseal-cloud backup --out DIR</c> and <c>smartseal-cloud restore --from DIR</c> (see
/// <see cref="BackupService"/>). Exit codes: 0 done; 2 refused (the backup is damaged, incomplete or of
/// another database kind, the target folder is not empty) — nothing was changed; 1 a tool failed.
/// </summary>
public static class BackupCli
{
    private static readonly Option<DirectoryInfo> OutOption = new("--out") { Description = "a new, empty folder for the backup (keep it off the cloud's disk)", Required = true };
    private static readonly Option<DirectoryInfo> FromOption = new("--from") { Description = "a folder written by backup --out", Required = true };

    public static IEnumerable<Command> Build(Func<Func<IServiceProvider, Task<int>>, bool, Task<int>> withServices)
    {
        var backup = new Command("backup", "copies the database (SQLite online backup or pg_dump) and the data files (photos, documents, keys) into a new folder with a SHA-256 manifest; safe while the cloud runs");
        backup.Add(OutOption);
        backup.SetAction((r, ct) => withServices(sp => RunAsync(sp, async service =>
        {
            BackupSummary made = await service.CreateAsync(r.GetValue(OutOption)!.FullName, ct);
            Console.WriteLine($"backup of the {made.Provider} database and {made.Files - 1} files ({made.Bytes:N0} bytes) written to {made.Folder}");
        }), true));

        var restore = new Command("restore", "checks a backup (manifest, every SHA-256, the dump itself) and only then replaces the database and copies the files back; stop the cloud first, then run ledger verify --witness or --trusted-head");
        restore.Add(FromOption);
        restore.SetAction((r, ct) => withServices(sp => RunAsync(sp, async service =>
        {
            BackupSummary restored = await service.RestoreAsync(r.GetValue(FromOption)!.FullName, ct);
            Console.WriteLine($"restored the {restored.Provider} database and {restored.Files - 1} files from the backup of {DateTimeOffset.FromUnixTimeMilliseconds(restored.CreatedMs):u} ({restored.Folder})");
            Console.WriteLine("next: smartseal-cloud ledger verify --witness <witness folder> (entries written after the backup show as missing against the witness's newer heads)");
        }), false));
        return [backup, restore];
    }

    private static async Task<int> RunAsync(IServiceProvider services, Func<BackupService, Task> action)
    {
        Database database = services.GetRequiredService<Database>();
        var service = new BackupService(database, BackupScope.Of(services, database), services.GetRequiredService<TimeProvider>());
        try
        {
            await action(service);
            return 0;
        }
        catch (BackupException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }
}
