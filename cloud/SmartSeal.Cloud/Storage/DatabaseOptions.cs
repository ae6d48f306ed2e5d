namespace SmartSeal.Cloud.Storage;

/// <summary>Section <c>SmartSeal:Database</c>: which database the cloud keeps its tables in.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "SmartSeal:Database";

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
