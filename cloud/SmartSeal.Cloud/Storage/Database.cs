using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using SmartSeal.Cloud.Hosting;

namespace SmartSeal.Cloud.Storage;

/// <summary>Opens connections to the configured database (SQLite in WAL mode by default, or PostgreSQL).</summary>
public sealed class Database : IDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;

    public Database(DatabaseProvider provider, string connectionString)
    {
        Dialect = SqlDialect.For(provider);
        if (provider == DatabaseProvider.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(connectionString);
            _connectionString = connectionString;
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
            if (builder.DataSource is { Length: > 0 } file && file != ":memory:")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            }

            _connectionString = builder.ToString();
        }
    }

    public SqlDialect Dialect { get; }

    /// <summary>The connection string as configured, for the database's own tools (pg_dump, pg_restore) run by a backup.</summary>
    public string ConnectionString => _connectionString;

    /// <summary>The SQLite database file (absolute), or null for PostgreSQL and in-memory databases.</summary>
    public string? SqliteFile => _postgres is null && new SqliteConnectionStringBuilder(_connectionString).DataSource is { Length: > 0 } file && file != ":memory:"
        ? Path.GetFullPath(file)
        : null;

    /// <summary>A human-readable target for logs and health checks (no password).</summary>
    public string Describe() => Dialect.Provider == DatabaseProvider.Postgres
        ? "postgres " + new NpgsqlConnectionStringBuilder(_connectionString) { Password = null }.Host
        : "sqlite " + new SqliteConnectionStringBuilder(_connectionString).DataSource;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres != null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using DbCommand pragmas = connection.CreateCommand();

        // WAL: readers never block the writer; NORMAL sync is durable across application crashes
        // (the OS has the data) and fast; busy_timeout lets concurrent writers queue instead of failing.
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public void Dispose() => _postgres?.Dispose();
}
