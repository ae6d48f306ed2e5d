namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>
/// Base of tests that run the whole host on a fresh PostgreSQL database (from scripts/services.sh).
/// <see cref="Cloud"/> is null when PostgreSQL is not there and SMARTSEAL_ALLOW_MISSING_SERVICES=1
/// (the tests then say they skipped); without that variable a missing server fails the test.
/// </summary>
public abstract class PostgresHostTest(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresTestDatabase? _database;

    protected PostgresCloudFactory? Cloud { get; private set; }

    public async Task InitializeAsync()
    {
        if (!TestServices.Available(TestServices.Postgres != null, $"PostgreSQL ({TestServices.PostgresVariable})", output))
        {
            return;
        }

        _database = await PostgresTestDatabase.CreateAsync(TestServices.Postgres!);
        Cloud = CreateCloud(_database.ConnectionString);
        _ = Cloud.Server;
    }

    /// <summary>The host on the fresh database; a test that needs more settings (a token, a printer) gives its own factory.</summary>
    protected virtual PostgresCloudFactory CreateCloud(string connectionString) => new(connectionString);

    public async Task DisposeAsync()
    {
        if (Cloud != null)
        {
            Cloud.AssertNoErrors();
            await Cloud.DisposeAsync();
        }

        if (_database != null)
        {
            await _database.DisposeAsync();
        }
    }
}
