using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Checkouts;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Ledger;

/// <summary>The hash-chained ledger: appends, concurrency, and every way of tampering with the rows in the database.</summary>
public class LedgerTests : IClassFixture<CloudFactory>
{
    private readonly CloudFactory _cloud;

    public LedgerTests(CloudFactory cloud)
    {
        _cloud = cloud;
        _ = cloud.Server;
    }

    private LedgerService Ledger => _cloud.Service<LedgerService>();

    private LedgerVerifier Verifier => _cloud.Service<LedgerVerifier>();

    private static LedgerEntry Stamp(string seal, int n, string? source = null) => new()
    {
        SealId = seal, Kind = LedgerKinds.Stamp, AtMs = 1_800_000_000_000 + n, DeviceId = "lock-0001", Actor = "zhang.wei", ApplicationId = "app-" + n, TokenId = "tok-1",
        Source = source, Fields = new Dictionary<string, string> { ["document"] = "合同-2026-" + n, ["page"] = "1", ["copies"] = "2" },
    };

    private async Task<string> ChainAsync(int entries)
    {
        string seal = "seal-" + Guid.NewGuid().ToString("n")[..8];
        await Ledger.AppendAsync(Enumerable.Range(1, entries).Select(i => Stamp(seal, i)).ToList());
        return seal;
    }

    private async Task SqlAsync(string sql, object? args = null)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        await connection.ExecuteAsync(sql, args);
    }

    [Fact]
    public async Task A_fresh_chain_verifies_and_links_every_entry_to_the_previous_hash()
    {
        string seal = await ChainAsync(20);
        LedgerVerification result = await Verifier.VerifyAsync(seal);
        Assert.True(result.Intact, result.FirstProblem?.Problem);
        Assert.Equal(20, result.EntriesChecked);

        var entries = (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: seal, Limit: 100))).OrderBy(e => e.Seq).ToList();
        Assert.Equal(LedgerCanon.Genesis, entries[0].PrevHash);
        for (int i = 1; i < entries.Count; i++)
        {
            Assert.Equal(entries[i - 1].Hash, entries[i].PrevHash);
        }

        Assert.Equal("合同-2026-3", LedgerCanon.Fields(entries[2].Payload)["document"]);
    }

    [Theory]
    [InlineData("UPDATE ledger_entries SET actor = 'li.na' WHERE seal_id = @seal AND seq = 7", 7, "edited")]
    [InlineData("UPDATE ledger_entries SET payload = REPLACE(payload, '合同-2026-7', '合同-2026-X') WHERE seal_id = @seal AND seq = 7", 7, "edited")]
    [InlineData("UPDATE ledger_entries SET at_ms = at_ms + 1 WHERE seal_id = @seal AND seq = 7", 7, "edited")]
    [InlineData("DELETE FROM ledger_entries WHERE seal_id = @seal AND seq = 7", 7, "missing")]
    [InlineData("UPDATE ledger_entries SET seq = -1 WHERE seal_id = @seal AND seq = 7; UPDATE ledger_entries SET seq = 7 WHERE seal_id = @seal AND seq = 8; UPDATE ledger_entries SET seq = 8 WHERE seal_id = @seal AND seq = -1", 7, "link")]
    [InlineData("DELETE FROM ledger_entries WHERE seal_id = @seal AND seq >= 9", 9, "missing")]
    public async Task Every_modified_deleted_or_reordered_row_is_caught_at_the_first_broken_entry(string tamper, long firstBad, string kindOfProblem)
    {
        string seal = await ChainAsync(10);
        string other = await ChainAsync(3);
        await SqlAsync(tamper, new { seal });

        LedgerVerification result = await Verifier.VerifyAsync();
        Assert.False(result.Intact);
        LedgerProblem problem = result.Problems.Single(p => p.SealId == seal);
        Assert.Equal(firstBad, problem.Seq);
        Assert.Contains(kindOfProblem, problem.Problem);
        Assert.DoesNotContain(result.Problems, p => p.SealId == other);
    }

    [Fact]
    public async Task Rewriting_a_chain_with_fresh_hashes_is_caught_by_a_signed_checkpoint()
    {
        string seal = await ChainAsync(5);
        await _cloud.Service<LedgerCheckpoints>().CreateAsync(evenIfUnchanged: true);

        // The attacker has database access but not the signing key: edit entry 3 and recompute everything after it.
        await using (DbConnection connection = await _cloud.Service<Database>().OpenAsync())
        {
            var rows = (await connection.QueryAsync<StoredLedgerEntry>($"SELECT {LedgerQueries.Columns} FROM ledger_entries WHERE seal_id = @seal ORDER BY seq", new { seal })).ToList();
            string prev = rows[1].Hash;
            foreach (StoredLedgerEntry row in rows.Skip(2))
            {
                var fields = LedgerCanon.Fields(row.Payload);
                string actor = row.Seq == 3 ? "someone.else" : row.Actor!;
                string payload = LedgerCanon.Payload(row.SealId, row.Seq, row.Kind, row.AtMs, row.RecordedMs, row.DeviceId, actor, row.ApplicationId, row.TokenId, row.Source, fields);
                string hash = LedgerCanon.Hash(prev, payload);
                await connection.ExecuteAsync("UPDATE ledger_entries SET actor = @actor, payload = @payload, prev_hash = @prev, hash = @hash WHERE id = @Id", new { actor, payload, prev, hash, row.Id });
                prev = hash;
            }

            await connection.ExecuteAsync("UPDATE ledger_heads SET hash = @prev WHERE seal_id = @seal", new { prev, seal });
        }

        LedgerVerification result = await Verifier.VerifyAsync(seal);
        Assert.False(result.Intact);
        Assert.Contains("checkpoint", result.FirstProblem!.Problem);
        Assert.Equal(5, result.FirstProblem.Seq);
    }

    [Fact]
    public async Task A_forged_checkpoint_is_refused()
    {
        string seal = await ChainAsync(2);
        LedgerCheckpoint checkpoint = (await _cloud.Service<LedgerCheckpoints>().CreateAsync(evenIfUnchanged: true))!;
        await SqlAsync("UPDATE ledger_checkpoints SET heads = REPLACE(heads, @seal, 'seal-gone') WHERE id = @Id", new { seal, checkpoint.Id });
        LedgerVerification result = await Verifier.VerifyAsync();
        Assert.Contains(result.Problems, p => p.Problem.Contains($"checkpoint {checkpoint.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_appends_to_one_seal_keep_a_single_unbroken_chain_and_sources_append_once()
    {
        string seal = "seal-concurrent-" + Guid.NewGuid().ToString("n")[..6];
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < 10; i++)
            {
                await Ledger.AppendAsync([Stamp(seal, (t * 100) + i, source: $"evt:lock-0001:{(t * 100) + i}")]);
            }
        })));
        await Ledger.AppendAsync([Stamp(seal, 5, source: "evt:lock-0001:5")]); // redelivered: no second entry

        LedgerVerification result = await Verifier.VerifyAsync(seal);
        Assert.True(result.Intact, result.FirstProblem?.Problem);
        Assert.Equal(80, result.EntriesChecked);
    }

    [Fact]
    public async Task A_cabinet_hand_over_becomes_one_ledger_entry_however_often_the_device_sends_it()
    {
        // A seal the cloud put into the cabinet and a collection it issued the cabinet a token for
        // (a made-up token or a seal the cabinet was never given is refused: DeviceSealBindingTests).
        SealOffice office = await SealOffice.CreateAsync(new OrgWorld(_cloud));
        await using SpokenCabinet cabinet = await SpokenCabinet.ConnectAsync(_cloud, OrgWorld.Unique("cab"));
        await cabinet.StowAsync(office, compartment: 2);
        (_, string token, int compartment) = await SpokenCabinet.DispenseAsync(office);

        byte[] dispensed = cabinet.Device.Sign(new DispensedBody { Compartment = compartment, SealId = office.SealId, TagId = office.Tag, TokenId = token, PhotoId = "ph-hand-over-1" });
        long seq = cabinet.Device.NextSeq - 1;
        for (int i = 0; i < 3; i++)
        {
            await cabinet.Device.PublishAsync(DeviceTopics.For(cabinet.Id, TopicKind.Events), dispensed);
        }

        await cabinet.Device.WaitForAckAsync(seq);
        var entries = (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: office.SealId))).OrderBy(e => e.Seq).ToList();
        Assert.Equal([LedgerKinds.Return, LedgerKinds.Dispense], entries.Select(e => e.Kind).Where(k => k is LedgerKinds.Return or LedgerKinds.Dispense));
        StoredLedgerEntry handOver = entries.Single(e => e.Kind == LedgerKinds.Dispense);
        Assert.Equal(token, handOver.TokenId);
        Assert.Equal(cabinet.Id, handOver.DeviceId);
        Assert.Equal("ph-hand-over-1", LedgerCanon.Fields(handOver.Payload)["photo"]);
        Assert.True((await Verifier.VerifyAsync(office.SealId)).Intact);
    }
}
