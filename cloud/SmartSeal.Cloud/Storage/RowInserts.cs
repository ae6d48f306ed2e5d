using System.Data.Common;
using Dapper;

namespace SmartSeal.Cloud.Storage;

/// <summary>
/// Writes many rows of one shape the way each database likes them: SQLite one prepared
/// single-row statement run per row (<see cref="PreparedRowStatement"/>), PostgreSQL multi-row
/// statements of <see cref="SqlDialect.RowsPerInsert"/> rows (one round trip each, not one per row).
/// The caller's module owns the table and writes its name; nothing here names a table.
/// </summary>
public static class RowInserts
{
    /// <summary>
    /// Runs <c>{insertInto} (columns) VALUES (...) {suffix}</c> for every row, e.g.
    /// <c>INSERT INTO t</c> and <c>ON CONFLICT (k) DO NOTHING</c>. Values come from <paramref name="columns"/>.
    /// </summary>
    public static async Task InsertAsync<T>(
        DbConnection connection,
        DbTransaction? transaction,
        SqlDialect dialect,
        string insertInto,
        IReadOnlyList<(string Column, Func<T, object?> Value)> columns,
        string suffix,
        IReadOnlyList<T> rows,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        string names = string.Join(", ", columns.Select(c => c.Column));
        if (dialect.PrefersPreparedRows)
        {
            await using var statement = new PreparedRowStatement(
                connection, transaction, $"{insertInto} ({names}) VALUES ({string.Join(", ", columns.Select(c => "@" + c.Column))}) {suffix}", columns.Select(c => c.Column).ToArray());
            foreach (T row in rows)
            {
                for (int c = 0; c < columns.Count; c++)
                {
                    statement.Set(c, columns[c].Value(row));
                }

                await statement.RunAsync(cancellationToken);
            }

            return;
        }

        foreach (T[] chunk in rows.Chunk(dialect.RowsPerInsert(columns.Count)))
        {
            var parameters = new DynamicParameters();
            var values = new string[chunk.Length];
            for (int i = 0; i < chunk.Length; i++)
            {
                string n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                values[i] = "(" + string.Join(",", columns.Select(c => "@" + c.Column + n)) + ")";
                foreach ((string column, Func<T, object?> value) in columns)
                {
                    parameters.Add(column + n, value(chunk[i]));
                }
            }

            await connection.ExecuteAsync(new CommandDefinition($"{insertInto} ({names}) VALUES {string.Join(",", values)} {suffix}", parameters, transaction, cancellationToken: cancellationToken));
        }
    }
}
