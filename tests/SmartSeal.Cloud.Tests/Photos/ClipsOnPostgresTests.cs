using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>The stamping-video path (V026 media columns, the evidence and export queries) once on PostgreSQL.</summary>
public sealed class ClipsOnPostgresTests(ITestOutputHelper output) : PostgresHostTest(output)
{
    [Fact]
    public async Task On_PostgreSQL_a_hand_over_clip_is_stored_served_and_shown_in_the_evidence()
    {
        if (Cloud is null)
        {
            return;
        }

        await ClipIngestTests.HandOverClipAsync(Cloud, new OrgWorld(Cloud));
    }
}
