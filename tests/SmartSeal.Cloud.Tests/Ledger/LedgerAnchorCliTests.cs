using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Ledger;

/// <summary>
/// The operator's commands, run as the real CLI process on a running cloud's data directory:
/// <c>ledger checkpoint --out</c>, then <c>ledger verify --trusted-head</c> / <c>--witness</c>.
/// </summary>
public class LedgerAnchorCliTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_checkpoint_file_kept_by_the_operator_and_the_witness_catch_a_cut_the_database_alone_hides()
    {
        await using var cloud = new CloudFactory();
        _ = cloud.Server;
        string dataDirectory = cloud.Service<IOptions<SmartSealOptions>>().Value.DataDirectory;
        string head = Path.Combine(dataDirectory, "head.json");
        string seal = "seal-cli-" + Guid.NewGuid().ToString("n")[..6];
        await LedgerTamper.AppendAsync(cloud, seal, 1, 5);
        LedgerCheckpoint older = (await cloud.Service<LedgerCheckpoints>().CreateAsync(evenIfUnchanged: true))!;
        await LedgerTamper.AppendAsync(cloud, seal, 6, 8);

        (int exit, string text) = await CliAsync(dataDirectory, "ledger", "checkpoint", "--out", head);
        Assert.True(exit == 0, text);
        Assert.Contains("timestamped 20", text);
        (exit, text) = await CliAsync(dataDirectory, "ledger", "verify", "--trusted-head", head);
        Assert.True(exit == 0, text);
        Assert.Contains("1 trusted heads from outside the database", text);

        await LedgerTamper.CutAsync(cloud, seal, keep: 5, lastKeptCheckpoint: older.Id);

        (exit, text) = await CliAsync(dataDirectory, "ledger", "verify");
        Assert.Equal(0, exit); // the hole without an outside head
        (exit, text) = await CliAsync(dataDirectory, "ledger", "verify", "--trusted-head", head);
        Assert.Equal(1, exit);
        Assert.Contains($"BROKEN {seal} #8", text);
        Assert.Contains("NOT INTACT", text);
        (exit, text) = await CliAsync(dataDirectory, "ledger", "verify", "--witness", Path.Combine(dataDirectory, "ledger-witness"));
        Assert.Equal(1, exit);
        Assert.Contains($"BROKEN {seal} #8", text);
        (exit, text) = await CliAsync(dataDirectory, "ledger", "verify", "--trusted-head", Path.Combine(dataDirectory, "no-such-head.json"));
        Assert.Equal(2, exit);
        Assert.Contains("is not a ledger checkpoint file", text);
        cloud.AssertNoErrors();
    }

    private Task<(int Exit, string Text)> CliAsync(string dataDirectory, params string[] arguments) =>
        CloudCliProcess.RunAsync(output, dataDirectory, null, arguments);
}
