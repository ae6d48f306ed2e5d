using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Ledger;

/// <summary>The truncation attack and its detection from outside the database, on PostgreSQL (<c>SMARTSEAL_TEST_POSTGRES</c>).</summary>
public class LedgerAnchorOnPostgresTests(ITestOutputHelper output) : PostgresHostTest(output)
{
    [Fact]
    public async Task On_PostgreSQL_cutting_entries_with_their_checkpoints_fools_the_database_alone_but_not_the_witness()
    {
        if (Cloud is null)
        {
            return;
        }

        await LedgerTamper.TruncationIsCaughtOnlyFromOutsideAsync(Cloud);
    }
}
