using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using SmartSeal.Cloud.Hosting;

namespace SmartSeal.Cloud.Storage;

/// <summary>
/// Applies the versioned scripts in <c>Storage/Migrations/V###__name.sql</c> (embedded) that the
/// database has not seen, in version order (each version once; areas own their numbers, so a
/// lower number added later is still applied), each in its own transaction, recording them in
/// <c>schema_migrations</c>. On PostgreSQL an advisory lock keeps two starting instances from
/// migrating at once.
/// </summary>
public sealed partial class Migrator(Database database, ILogger<Migrator> logger)
{
    private const long AdvisoryLockId = 0x5EA1_5EA1;

    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = LoadScripts();

    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        bool postgres = database.Dialect.Provider == DatabaseProvider.Postgres;
        if (postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(@id)", new { id = AdvisoryLockId });
        }

        try
        {
            await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL)");
            var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
            int count = 0;
            foreach ((int version, string name, string sql) in Scripts)
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await using DbTransaction tx = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(database.Dialect.Expand(sql), transaction: tx);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (@version, @name, @now)",
                    new { version, name, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                    tx);
                await tx.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration V{Version:000} {Name} to {Database}", version, name, database.Describe());
                count++;
            }

            return count;
        }
        finally
        {
            if (postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@id)", new { id = AdvisoryLockId });
            }
        }
    }

    private static List<(int, string, string)> LoadScripts()
    {
        Assembly assembly = typeof(Migrator).Assembly;
        var scripts = new List<(int, string, string)>();
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            Match match = ScriptName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            scripts.Add((int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (int i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Item1 == scripts[i - 1].Item1)
            {
                throw new InvalidOperationException($"two migrations claim version V{scripts[i].Item1:000}");
            }
        }

        return scripts;
    }

    [GeneratedRegex(@"\.V(\d{3})__([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}
