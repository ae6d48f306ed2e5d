using SmartSeal.Cloud.Hosting;

namespace SmartSeal.Cloud.Storage;

/// <summary>
/// The one place SQLite and PostgreSQL differ for us. Queries are written once in the SQL both
/// accept (<c>INSERT ... ON CONFLICT</c>, <c>RETURNING</c>, <c>TRUE/FALSE</c>, partial indexes);
/// only DDL types and a few statements come from here. Migration scripts use <c>{{token}}</c>s
/// that <see cref="Expand"/> replaces, and may hold statements for one engine only between
/// <c>--{{sqlite}}</c> … <c>--{{/sqlite}}</c> or <c>--{{postgres}}</c> … <c>--{{/postgres}}</c> lines
/// (triggers: SQLite's and PostgreSQL's syntax have nothing in common).
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(DatabaseProvider.Sqlite, "INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB");

    public static readonly SqlDialect Postgres = new(DatabaseProvider.Postgres, "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BYTEA");

    private SqlDialect(DatabaseProvider provider, string autoId, string blob)
    {
        Provider = provider;
        AutoId = autoId;
        Blob = blob;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>Column type of a generated 64-bit primary key.</summary>
    public string AutoId { get; }

    public string Blob { get; }

    /// <summary>
    /// Appended to a SELECT whose rows the transaction goes on to update: PostgreSQL locks them now
    /// (concurrent cloud instances queue instead of losing an update); SQLite needs nothing, its one
    /// writer already holds the whole database.
    /// </summary>
    public string ForUpdate => Provider == DatabaseProvider.Postgres ? " FOR UPDATE" : string.Empty;

    /// <summary>
    /// Rows per multi-row INSERT (or rows per CASE-list UPDATE) for rows of <paramref name="columns"/> parameters. PostgreSQL
    /// gains from few round trips; SQLite runs in-process, where a statement costs little but
    /// binding costs the square of its parameters (each is looked up by name), so small ones win.
    /// </summary>
    public int RowsPerInsert(int columns) => Provider == DatabaseProvider.Postgres ? Math.Max(1, 1000 / columns) : Math.Max(1, 16 / columns);

    /// <summary>
    /// Whether many rows are best written by one prepared single-row statement run per row
    /// (<see cref="PreparedRowStatement"/>): SQLite, in-process, where compiling a statement and
    /// binding by name cost more than the insert; not PostgreSQL, where each run is a round trip.
    /// </summary>
    public bool PrefersPreparedRows => Provider == DatabaseProvider.Sqlite;

    public static SqlDialect For(DatabaseProvider provider) => provider == DatabaseProvider.Postgres ? Postgres : Sqlite;

    public string Expand(string script)
    {
        string other = Provider == DatabaseProvider.Postgres ? "sqlite" : "postgres";
        string own = Provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";
        string kept = System.Text.RegularExpressions.Regex.Replace(script, $@"--\{{\{{{other}\}}\}}.*?--\{{\{{/{other}\}}\}}", string.Empty, System.Text.RegularExpressions.RegexOptions.Singleline)
            .Replace("--{{" + own + "}}", string.Empty, StringComparison.Ordinal).Replace("--{{/" + own + "}}", string.Empty, StringComparison.Ordinal);
        return kept.Replace("{{autoid}}", AutoId, StringComparison.Ordinal).Replace("{{blob}}", Blob, StringComparison.Ordinal);
    }
}
