global using Xunit.Abstractions;
using Npgsql;

namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>
/// The servers <c>scripts/services.sh</c> starts for the tests (scripts/test.sh exports their
/// addresses): PostgreSQL (<c>SMARTSEAL_TEST_POSTGRES</c>) and Mosquitto
/// (<c>SMARTSEAL_TEST_MOSQUITTO</c>, <c>SMARTSEAL_TEST_MOSQUITTO_DIR</c>). A missing one fails the
/// test, unless <c>SMARTSEAL_ALLOW_MISSING_SERVICES=1</c>, in which case the test says it skipped.
/// </summary>
public static class TestServices
{
    public const string PostgresVariable = "SMARTSEAL_TEST_POSTGRES";
    public const string MosquittoVariable = "SMARTSEAL_TEST_MOSQUITTO";
    public const string MosquittoDirVariable = "SMARTSEAL_TEST_MOSQUITTO_DIR";
    public const string AllowMissingVariable = "SMARTSEAL_ALLOW_MISSING_SERVICES";

    public static string? Postgres => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    public static (string Host, int Port, string Directory)? Mosquitto =>
        Environment.GetEnvironmentVariable(MosquittoVariable) is { Length: > 0 } endpoint && Environment.GetEnvironmentVariable(MosquittoDirVariable) is { Length: > 0 } dir
            ? (endpoint[..endpoint.LastIndexOf(':')], int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture), dir)
            : null;

    /// <summary>True when the test may run; false (after saying so) when it should stop; fails when the server is missing and that is not allowed.</summary>
    public static bool Available(bool present, string what, ITestOutputHelper? output)
    {
        if (present)
        {
            return true;
        }

        string message = $"SKIPPED: {what} is not configured, so this test did not run.";
        if (Environment.GetEnvironmentVariable(AllowMissingVariable) == "1")
        {
            output?.WriteLine(message);
            return false;
        }

        Assert.Fail(message + $" Run the tests with ./scripts/test.sh (it starts the servers), or eval \"$(scripts/services.sh start)\" first, or set {AllowMissingVariable}=1.");
        return false;
    }
}

/// <summary>A fresh PostgreSQL database for one test class on the scripted server, dropped afterwards.</summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly string _server;

    private PostgresTestDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync(string server)
    {
        var database = new PostgresTestDatabase(server, "smartseal_test_" + Guid.NewGuid().ToString("n")[..16]);
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {database.Name}", connection);
        await create.ExecuteNonQueryAsync();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
