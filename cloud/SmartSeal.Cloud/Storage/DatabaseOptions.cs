namespace SmartSeal.Cloud.Storage;

public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Empty for SQLite means <c>{DataDirectory}/smartseal.db</c>.</summary>
    public string? ConnectionString { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
