using System.Data.Common;
using Dapper;

namespace SmartSeal.Cloud.Storage;

/// <summary>
/// <c>IN (@x0, @x1, ...)</c> written out parameter by parameter: Dapper's <c>IN @list</c> expands
/// for SQLite but hands Npgsql an array, so one SQL text would not serve both databases. Keep
/// lists to about a hundred: binding by name costs the square of a statement's parameters.
/// </summary>
public static class SqlList
{
    /// <summary>Adds <paramref name="values"/> as <c>@{prefix}0..n</c> and returns <c>(@{prefix}0, ...)</c>.</summary>
    public static string In<T>(DynamicParameters parameters, string prefix, IReadOnlyList<T> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("an IN list needs at least one value", nameof(values));
        }

        var names = new string[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            names[i] = "@" + prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters.Add(names[i][1..], values[i]);
        }

        return "(" + string.Join(",", names) + ")";
    }

    /// <summary>
    /// Runs <paramref name="sql"/> once per hundred distinct <paramref name="values"/>, with
    /// <c>{values}</c> in it replaced by their IN list (parameters <c>@v0..</c>, beside
    /// <paramref name="parameters"/>), and returns the rows of all runs in order: ids in, rows out,
    /// in a few round trips and never one query per id. Nothing runs for no values.
    /// </summary>
    public static async Task<List<T>> QueryInChunksAsync<T>(
        DbConnection connection, string sql, IEnumerable<string> values, object? parameters = null, DbTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        var rows = new List<T>();
        foreach (string[] chunk in values.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var chunkParameters = new DynamicParameters(parameters);
            string statement = sql.Replace("{values}", In(chunkParameters, "v", chunk), StringComparison.Ordinal);
            rows.AddRange(await connection.QueryAsync<T>(new CommandDefinition(statement, chunkParameters, transaction, cancellationToken: cancellationToken)));
        }

        return rows;
    }
}
