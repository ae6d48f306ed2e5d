using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Backup;

/// <summary>A folder whose files go into the backup under <see cref="Name"/>/, minus the paths in <see cref="Excluded"/>.</summary>
public sealed record BackupRoot(string Name, string Directory, IReadOnlyList<string> Excluded);

/// <summary>
/// What a backup holds besides the database: the data directory (photos on disk, documents, ledger
/// and portal keys, the development master key) and the photo and document folders when configured
/// outside it. Never the SQLite files themselves (the online backup copies those consistently) and
/// never the ledger witness: it is the outside record a restore is checked against, so a restore
/// must not roll it back. Photos in Azure Blob storage are not copied (use the account's
/// versioning and soft delete).
/// </summary>
public static class BackupScope
{
    public static IReadOnlyList<BackupRoot> Of(IServiceProvider services, Database database)
    {
        string data = DataDirectory.Resolve(services);
        var excluded = new List<string>();
        if (database.SqliteFile is { } file)
        {
            excluded.AddRange([file, file + "-wal", file + "-shm", file + "-journal"]);
        }

        if (services.GetRequiredService<ILedgerWitness>() is FileLedgerWitness witness)
        {
            excluded.Add(witness.Directory);
        }

        var roots = new List<BackupRoot> { new("data", data, excluded) };
        string contentRoot = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        PhotoOptions photos = services.GetRequiredService<IOptions<PhotoOptions>>().Value;
        if (photos.Provider == PhotoStoreProvider.Disk && photos.Directory is { Length: > 0 } photoDirectory)
        {
            AddOutside(roots, "photos", Path.GetFullPath(photoDirectory, contentRoot), data);
        }

        if (services.GetRequiredService<IOptions<DocumentOptions>>().Value.Directory is { Length: > 0 } documents)
        {
            AddOutside(roots, "documents", Path.GetFullPath(documents), data);
        }

        return roots;
    }

    private static void AddOutside(List<BackupRoot> roots, string name, string directory, string data)
    {
        if (!BackupService.IsUnder(directory, data))
        {
            roots.Add(new BackupRoot(name, directory, []));
        }
    }
}
