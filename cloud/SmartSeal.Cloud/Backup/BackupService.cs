using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Backup;

/// <summary>What a backup or restore did, for the operator.</summary>
public sealed record BackupSummary(string Folder, string Provider, int Files, long Bytes, long CreatedMs);

/// <summary>
/// Backup and restore of one cloud: the database (SQLite: the online backup API, consistent while
/// the cloud runs; PostgreSQL: <c>pg_dump --format=custom</c>), the files of <see cref="BackupScope"/>,
/// and a manifest with every file's SHA-256, written last. A restore checks the whole backup first —
/// manifest, every size and hash, the dump itself (SQLite <c>integrity_check</c>, <c>pg_restore --list</c>) —
/// and refuses with the reason before touching anything; only then does it replace the database and
/// copy the files back. Stop the cloud before restoring.
/// </summary>
public sealed class BackupService(Database database, IReadOnlyList<BackupRoot> roots, TimeProvider time)
{
    public const string SqliteDump = "database.sqlite";
    public const string PostgresDump = "database.pgdump";

    private bool Postgres => database.Dialect.Provider == DatabaseProvider.Postgres;

    public async Task<BackupSummary> CreateAsync(string folder, CancellationToken cancellationToken)
    {
        folder = Path.GetFullPath(folder);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new BackupException($"{folder} is not empty; back up into a new folder");
        }

        Directory.CreateDirectory(folder);
        string dump = Path.Combine(folder, Postgres ? PostgresDump : SqliteDump);
        if (Postgres)
        {
            await PostgresTools.RunAsync("pg_dump", database.ConnectionString, ["--format=custom", "--no-owner", "--file", dump], cancellationToken);
        }
        else
        {
            await using DbConnection source = await database.OpenAsync(cancellationToken);
            using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dump, Pooling = false }.ToString());
            target.Open();
            ((SqliteConnection)source).BackupDatabase(target);
        }

        foreach (BackupRoot root in roots)
        {
            foreach (string file in FilesOf(root, folder))
            {
                string copy = Path.Combine(folder, root.Name, Path.GetRelativePath(root.Directory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
        }

        var files = new List<BackupFile>();
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            files.Add(new BackupFile(Path.GetRelativePath(folder, file).Replace('\\', '/'), new FileInfo(file).Length, await HashAsync(file, cancellationToken)));
        }

        var manifest = new BackupManifest(BackupManifest.CurrentFormat, time.GetUtcNow().ToUnixTimeMilliseconds(), Postgres ? "postgres" : "sqlite", Path.GetFileName(dump), files);
        await File.WriteAllTextAsync(Path.Combine(folder, BackupManifest.FileName), JsonSerializer.Serialize(manifest, BackupManifest.Json), cancellationToken);
        return new BackupSummary(folder, manifest.Provider, files.Count, files.Sum(f => f.Size), manifest.CreatedMs);
    }

    /// <summary>Checks everything, then restores; throws <see cref="BackupException"/> (nothing changed) when the backup is not fit.</summary>
    public async Task<BackupSummary> RestoreAsync(string folder, CancellationToken cancellationToken)
    {
        folder = Path.GetFullPath(folder);
        BackupManifest manifest = await CheckAsync(folder, cancellationToken);
        string dump = Path.Combine(folder, manifest.DatabaseFile);
        if (Postgres)
        {
            await PostgresTools.RunAsync("pg_restore", database.ConnectionString, ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname", DatabaseName(), dump], cancellationToken);
        }
        else
        {
            string target = database.SqliteFile!;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            string staged = target + ".restoring";
            File.Copy(dump, staged, overwrite: true);
            SqliteConnection.ClearAllPools();
            foreach (string stale in new[] { target + "-wal", target + "-shm", target + "-journal" })
            {
                File.Delete(stale); // a log of the database being replaced must not be replayed into the restored one
            }

            File.Move(staged, target, overwrite: true);
        }

        foreach (BackupRoot root in roots)
        {
            string saved = Path.Combine(folder, root.Name);
            if (!Directory.Exists(saved))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(saved, "*", SearchOption.AllDirectories))
            {
                string destination = Path.Combine(root.Directory, Path.GetRelativePath(saved, file));
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                if (File.Exists(destination))
                {
                    File.SetAttributes(destination, FileAttributes.Normal); // keys are kept read-only
                }

                File.Copy(file, destination, overwrite: true);
            }
        }

        return new BackupSummary(folder, manifest.Provider, manifest.Files.Count, manifest.Files.Sum(f => f.Size), manifest.CreatedMs);
    }

    /// <summary>The manifest, after checking that it belongs to this database kind and that every file is there, whole and unchanged.</summary>
    public async Task<BackupManifest> CheckAsync(string folder, CancellationToken cancellationToken)
    {
        string manifestPath = Path.Combine(folder, BackupManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new BackupException($"{folder} holds no {BackupManifest.FileName}: not a SmartSeal backup, or one that did not finish; nothing restored");
        }

        BackupManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BackupManifest>(await File.ReadAllTextAsync(manifestPath, cancellationToken), BackupManifest.Json);
        }
        catch (JsonException e)
        {
            throw new BackupException($"{manifestPath} is damaged ({e.Message}); nothing restored");
        }

        if (manifest is null || manifest.Format != BackupManifest.CurrentFormat || manifest.Files is null)
        {
            throw new BackupException($"{manifestPath} is not a format-{BackupManifest.CurrentFormat} SmartSeal manifest; nothing restored");
        }

        string expected = Postgres ? "postgres" : "sqlite";
        if (manifest.Provider != expected)
        {
            throw new BackupException($"the backup is of a {manifest.Provider} database, this cloud uses {expected}; nothing restored");
        }

        foreach (BackupFile file in manifest.Files)
        {
            string path = Path.GetFullPath(Path.Combine(folder, file.Path));
            if (!IsUnder(path, folder))
            {
                throw new BackupException($"the manifest names {file.Path}, outside the backup; nothing restored");
            }

            if (!File.Exists(path))
            {
                throw new BackupException($"{file.Path} is missing from the backup; nothing restored");
            }

            long size = new FileInfo(path).Length;
            if (size != file.Size || await HashAsync(path, cancellationToken) != file.Sha256)
            {
                throw new BackupException($"{file.Path} is damaged (its size or SHA-256 differs from the manifest's: {size} bytes); nothing restored");
            }
        }

        if (!manifest.Files.Any(f => f.Path == manifest.DatabaseFile))
        {
            throw new BackupException($"the manifest does not list the database dump {manifest.DatabaseFile}; nothing restored");
        }

        string dump = Path.Combine(folder, manifest.DatabaseFile);
        if (Postgres)
        {
            await PostgresTools.RunAsync("pg_restore", database.ConnectionString, ["--list", dump], cancellationToken);
        }
        else
        {
            await CheckSqliteAsync(dump, cancellationToken);
        }

        return manifest;
    }

    public static bool IsUnder(string path, string directory)
    {
        string relative = Path.GetRelativePath(Path.GetFullPath(directory), Path.GetFullPath(path));
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private static async Task CheckSqliteAsync(string dump, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dump, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync(cancellationToken);
            await using DbCommand check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            string? result = (string?)await check.ExecuteScalarAsync(cancellationToken);
            if (result != "ok")
            {
                throw new BackupException($"{Path.GetFileName(dump)} fails SQLite's integrity check ({result}); nothing restored");
            }
        }
        catch (SqliteException e)
        {
            throw new BackupException($"{Path.GetFileName(dump)} is not a readable SQLite database ({e.Message}); nothing restored");
        }
    }

    private static IEnumerable<string> FilesOf(BackupRoot root, string backupFolder) =>
        !Directory.Exists(root.Directory)
            ? []
            : Directory.EnumerateFiles(root.Directory, "*", SearchOption.AllDirectories)
                .Where(f => !IsUnder(f, backupFolder) && !root.Excluded.Any(x => f == x || IsUnder(f, x)) && !f.EndsWith(".restoring", StringComparison.Ordinal));

    private string DatabaseName() => new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
