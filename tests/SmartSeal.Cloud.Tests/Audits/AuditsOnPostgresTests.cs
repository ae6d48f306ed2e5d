using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Audits;

/// <summary>The audit walk on PostgreSQL: V023's tables and its plpgsql trigger refusing changes of closed findings and audits.</summary>
public sealed class AuditsOnPostgresTests(ITestOutputHelper output) : PostgresHostTest(output)
{
    [Fact]
    public async Task On_PostgreSQL_the_audit_walk_holds_and_the_trigger_refuses_changes_of_closed_rows()
    {
        if (Cloud is null)
        {
            return;
        }

        await AuditWalk.RunAsync(Cloud);
    }
}
