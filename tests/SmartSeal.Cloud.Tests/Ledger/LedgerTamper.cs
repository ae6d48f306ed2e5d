using System.Data.Common;
using System.Net.Http.Json;
using Dapper;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Ledger;

/// <summary>
/// An attacker with the database (not the keys): cuts a seal's newest entries together with the
/// newest checkpoints and rolls the chain head back, so the database alone looks intact. Shared by
/// the SQLite and PostgreSQL tests.
/// </summary>
public static class LedgerTamper
{
    public static LedgerEntry Stamp(string seal, int n, string actor = "zhang.wei") => new()
    {
        SealId = seal, Kind = LedgerKinds.Stamp, AtMs = 1_800_000_000_000 + n, DeviceId = "lock-0001", Actor = actor, ApplicationId = "app-" + n, TokenId = "tok-1",
        Fields = new Dictionary<string, string> { ["document"] = "合同-2026-" + n, ["page"] = "1" },
    };

    public static async Task AppendAsync(CloudFactory cloud, string seal, int from, int to, string actor = "zhang.wei") =>
        await cloud.Service<LedgerService>().AppendAsync(Enumerable.Range(from, to - from + 1).Select(i => Stamp(seal, i, actor)).ToList());

    /// <summary>Deletes the entries after <paramref name="keep"/>, the checkpoints after <paramref name="lastKeptCheckpoint"/>, and sets the head back.</summary>
    public static async Task CutAsync(CloudFactory cloud, string seal, long keep, long lastKeptCheckpoint)
    {
        await using DbConnection connection = await cloud.Service<Database>().OpenAsync();
        string hash = await connection.QuerySingleAsync<string>("SELECT hash FROM ledger_entries WHERE seal_id = @seal AND seq = @keep", new { seal, keep });
        await connection.ExecuteAsync("DELETE FROM ledger_entries WHERE seal_id = @seal AND seq > @keep", new { seal, keep });
        await connection.ExecuteAsync("DELETE FROM ledger_checkpoints WHERE id > @lastKeptCheckpoint", new { lastKeptCheckpoint });
        await connection.ExecuteAsync("UPDATE ledger_heads SET seq = @keep, hash = @hash WHERE seal_id = @seal", new { keep, hash, seal });
    }

    /// <summary>
    /// The whole truncation story on one host: the database alone says intact (the hole), the
    /// witness and a kept checkpoint file both name the cut. Returns nothing; asserts throughout.
    /// </summary>
    public static async Task TruncationIsCaughtOnlyFromOutsideAsync(CloudFactory cloud)
    {
        string seal = "seal-cut-" + Guid.NewGuid().ToString("n")[..6];
        string other = "seal-kept-" + Guid.NewGuid().ToString("n")[..6];
        LedgerCheckpoints checkpoints = cloud.Service<LedgerCheckpoints>();
        LedgerVerifier verifier = cloud.Service<LedgerVerifier>();
        await AppendAsync(cloud, seal, 1, 5);
        await AppendAsync(cloud, other, 1, 3);
        LedgerCheckpoint older = (await checkpoints.CreateAsync(evenIfUnchanged: true))!;
        await AppendAsync(cloud, seal, 6, 8);
        LedgerCheckpoint newest = (await checkpoints.CreateAsync(evenIfUnchanged: true))!;
        LedgerCheckpoint keptOutside = LedgerWitnessing.FromFile(LedgerWitnessing.ToFile(newest))!; // what `ledger checkpoint --out` wrote
        Assert.True((await verifier.VerifyAsync(null, cloud.Service<LedgerWitnessing>(), [])).Intact);

        await CutAsync(cloud, seal, keep: 5, lastKeptCheckpoint: older.Id);

        LedgerVerification databaseAlone = await verifier.VerifyAsync();
        Assert.True(databaseAlone.Intact, "the database alone cannot see a cut that took its checkpoints along");

        LedgerVerification withWitness = await verifier.VerifyAsync(null, cloud.Service<LedgerWitnessing>(), []);
        Assert.False(withWitness.Intact);
        LedgerProblem cut = withWitness.Problems.Single(p => p.SealId == seal);
        Assert.Equal(8, cut.Seq);
        Assert.Contains($"entry signed by checkpoint {newest.Id} is gone", cut.Problem);
        Assert.Contains(withWitness.Problems, p => p.Problem.Contains($"checkpoint {newest.Id} (trusted copy outside the database) is missing from the database", StringComparison.Ordinal));
        Assert.DoesNotContain(withWitness.Problems, p => p.SealId == other);

        LedgerVerification withFile = await verifier.VerifyAsync(seal, [keptOutside]);
        Assert.False(withFile.Intact);
        Assert.Contains(withFile.Problems, p => p.SealId == seal && p.Seq == 8);

        // The same through the API: the configured witness on request.
        using HttpClient http = cloud.AdminClient();
        Assert.True((await http.GetFromJsonAsync<LedgerVerification>("/api/ledger/verify"))!.Intact);
        LedgerVerification viaApi = (await http.GetFromJsonAsync<LedgerVerification>("/api/ledger/verify?witness=true"))!;
        Assert.False(viaApi.Intact);
        Assert.Contains(viaApi.Problems, p => p.SealId == seal && p.Seq == 8);
    }
}
