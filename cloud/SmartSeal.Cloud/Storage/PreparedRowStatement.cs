using System.Data.Common;

namespace SmartSeal.Cloud.Storage;

/// <summary>
/// One single-row statement compiled once and run for many rows, changing only the parameter
/// values: how SQLite wants bulk writes inside a transaction. Measured on the ingest path
/// (cloud/README.md "Performance"), compiling a fresh multi-row statement per chunk and binding
/// its parameters by name took more of the ingest loop than SQLite's own inserting; PostgreSQL
/// keeps multi-row statements where it can (round trips are its cost: callers that write many rows
/// use this for <see cref="SqlDialect.PrefersPreparedRows"/> only); a caller that wrote one row per
/// statement on both databases anyway may use it on both.
/// </summary>
public sealed class PreparedRowStatement : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;

    /// <summary>Prepares <paramref name="sql"/>, whose parameters are <c>@</c> + each of <paramref name="parameterNames"/>.</summary>
    public PreparedRowStatement(DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<string> parameterNames)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        _parameters = new DbParameter[parameterNames.Count];
        for (int i = 0; i < _parameters.Length; i++)
        {
            DbParameter parameter = _command.CreateParameter();
            parameter.ParameterName = "@" + parameterNames[i];
            _command.Parameters.Add(parameter);
            _parameters[i] = parameter;
        }

        if (connection is Microsoft.Data.Sqlite.SqliteConnection)
        {
            _command.Prepare(); // PostgreSQL would want the values' types first; there the one command is simply reused
        }
    }

    /// <summary>Sets the value of the <paramref name="index"/>th parameter for the next run (null is SQL NULL).</summary>
    public void Set(int index, object? value) => _parameters[index].Value = value ?? DBNull.Value;

    /// <summary>Runs the statement with the values set; returns the first column of the first row it returns (RETURNING), or null.</summary>
    public async Task<object?> RunAsync(CancellationToken cancellationToken)
    {
        object? result = await _command.ExecuteScalarAsync(cancellationToken);
        return result is DBNull ? null : result;
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
