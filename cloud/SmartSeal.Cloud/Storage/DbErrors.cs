using System.Data.Common;

namespace SmartSeal.Cloud.Storage;

/// <summary>Recognises constraint violations of either database, so callers can answer 409 instead of 500.</summary>
public static class DbErrors
{
    public static bool IsUniqueViolation(DbException e) =>
        e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } sqlite && sqlite.Message.Contains("UNIQUE", StringComparison.Ordinal)
        || e is Npgsql.PostgresException { SqlState: "23505" };
}
