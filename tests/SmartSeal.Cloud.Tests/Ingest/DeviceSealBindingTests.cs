using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Checkouts;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Tests.Ingest;

/// <summary>
/// Issue 15 item 3, as an attacker would try it: genuine devices with their own valid keys, over
/// the real broker, publishing correctly signed events about seals and tokens that are not theirs.
/// Each event is refused with its reason (in <c>refused_messages</c>, against the sender), raises
/// <c>use-not-covered</c> on the sender, is acknowledged, and changes no ledger, location, checkout
/// or token count. (Reasons are spelled out as strings: they are what an operator reads.)
/// </summary>
public class DeviceSealBindingTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;
    private readonly OrgWorld _org;

    public DeviceSealBindingTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    [Fact]
    public async Task A_cabinet_cannot_dispense_or_take_back_another_cabinets_seals_under_made_up_or_foreign_tokens()
    {
        // Unit B's cabinet holds one seal and has handed another out on an open collection.
        string cabinetB = OrgWorld.Unique("cab");
        await using SpokenCabinet cabinet = await SpokenCabinet.ConnectAsync(_cloud, cabinetB);
        DeviceClient b = cabinet.Device;
        SealOffice stowed = await SealOffice.CreateAsync(_org);
        await cabinet.StowAsync(stowed, compartment: 1);
        SealOffice collected = await SealOffice.CreateAsync(_org);
        await cabinet.StowAsync(collected, compartment: 2);
        (string collection, string tokenB) = await cabinet.CollectAsync(collected);

        // Unit A's cabinet, genuine, with its own key.
        string cabinetA = OrgWorld.Unique("cab");
        await using SpokenCabinet attacker = await SpokenCabinet.ConnectAsync(_cloud, cabinetA);
        DeviceClient a = attacker.Device;
        Snapshot before = await SnapshotAsync(collected, collection, stowed);

        long processed = Processed;
        await a.SendAsync(new DispensedBody { Compartment = 1, SealId = stowed.SealId, TagId = stowed.Tag, TokenId = "ctok-made-up" });
        await a.SendAsync(new ReturnedBody { Compartment = 1, SealId = collected.SealId, TagId = collected.Tag });
        await a.SendAsync(new DispensedBody { Compartment = 1, SealId = collected.SealId, TagId = collected.Tag, TokenId = tokenB });
        // B itself, under its genuine token for the collected seal, claiming the other one went out.
        await b.SendAsync(new DispensedBody { Compartment = 1, SealId = stowed.SealId, TagId = stowed.Tag, TokenId = tokenB });
        await _cloud.WaitForIngestAsync(processed + 4);

        // First what matters most: nothing moved (on the code before binding, this is where it failed).
        Assert.Equal(before, await SnapshotAsync(collected, collection, stowed));
        Assert.Equal(
            ["unbound-seal-not-assigned", "unbound-token-not-issued", "unbound-token-other-device"],
            await RefusalReasonsAsync(cabinetA));
        Assert.Equal(["unbound-token-other-seal"], await RefusalReasonsAsync(cabinetB));
        Assert.Contains("use-not-covered", await ActiveAlarmsAsync(cabinetA));
        Assert.Contains("use-not-covered", await ActiveAlarmsAsync(cabinetB));
        await a.WaitForAckAsync(3); // judged, not lost: the device drops them from flash
        Assert.Superset(new HashSet<long> { 1, 2, 3 }, a.AcknowledgedSeqs());
        Assert.Equal(3L, await ScalarAsync("SELECT COUNT(*) FROM device_messages WHERE device_id = @id", cabinetA)); // kept as evidence
    }

    [Fact]
    public async Task A_lock_cannot_stamp_under_another_locks_token_or_one_the_cloud_never_issued()
    {
        SealOffice office = await SealOffice.CreateAsync(_org);
        string fitted = OrgWorld.Unique("lock");
        await _cloud.ProvisionAsync(fitted);
        string application = await office.ApprovedApplicationAsync(CheckoutEndToEndTests.Request(office.SealId, "lock", stamps: 2));
        JsonElement bound = await SpokenCabinet.OkAsync(await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{application}/bind", new { lockId = fitted }));
        string token = bound.GetProperty("tokenId").GetString()!;

        // Another genuine lock, whose key is valid, but the seal is not fitted to it.
        string other = OrgWorld.Unique("lock");
        await using DeviceClient attacker = await DeviceClient.ConnectAsync(_cloud.MqttPort, other, await _cloud.ProvisionAsync(other));
        Snapshot before = await SnapshotAsync(office, application);

        long processed = Processed;
        await attacker.SendAsync(new StampedBody { AttemptId = "att-foreign", TokenId = token, DocumentId = "doc-1", Page = 1 });
        await attacker.SendAsync(new StampedBody { AttemptId = "att-made-up", TokenId = "tok-made-up" });
        await attacker.SendAsync(new ReturnedBody { Compartment = 1, SealId = office.SealId, TagId = office.Tag });
        await _cloud.WaitForIngestAsync(processed + 3);

        Assert.Equal(before, await SnapshotAsync(office, application));
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM document_stamps WHERE device_id = @id", other));
        Assert.Equal(["unbound-not-a-cabinet", "unbound-token-not-issued", "unbound-token-other-device"], await RefusalReasonsAsync(other));
        Assert.Contains("use-not-covered", await ActiveAlarmsAsync(other));
        Assert.Empty(await ActiveAlarmsAsync(fitted));
    }

    [Fact]
    public async Task A_cabinet_still_takes_back_and_hands_out_the_seals_the_cloud_assigned_to_it()
    {
        string cabinetId = OrgWorld.Unique("cab");
        await using SpokenCabinet cabinet = await SpokenCabinet.ConnectAsync(_cloud, cabinetId);
        SealOffice office = await SealOffice.CreateAsync(_org);
        await cabinet.StowAsync(office, compartment: 3);
        (string collection, string token) = await cabinet.CollectAsync(office);

        Assert.Equal("out", await CheckoutStatusAsync(office, collection));
        Assert.Equal([LedgerKinds.Return, LedgerKinds.Dispense], (await LedgerAsync(office.SealId)).Select(e => e.Kind).Where(k => k is LedgerKinds.Return or LedgerKinds.Dispense));
        Assert.Equal(token, (await LedgerAsync(office.SealId)).Last().TokenId);
        Assert.Empty(await RefusalReasonsAsync(cabinetId));
    }

    private long Processed => _cloud.Service<IngestService>().Processed;

    /// <summary>What an unbound event must not change: the application's checkout status and token counts, each seal's ledger length and location.</summary>
    private async Task<Snapshot> SnapshotAsync(SealOffice owner, string application, params SealOffice[] others)
    {
        JsonElement checkout = await SpokenCabinet.OkAsync(await owner.KeeperClient.GetAsync($"/api/checkouts/{application}"));
        var seals = new List<string>();
        foreach (SealOffice office in others.Prepend(owner))
        {
            seals.Add($"{office.SealId}: {(await LedgerAsync(office.SealId)).Count} entries, at {await SpokenCabinet.LocationAsync(office)}");
        }

        return new Snapshot(
            checkout.GetProperty("checkout").GetProperty("status").GetString(),
            string.Join(",", checkout.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("used").GetInt32())),
            string.Join("; ", seals));
    }

    private async Task<IReadOnlyList<StoredLedgerEntry>> LedgerAsync(string sealId) =>
        (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: sealId))).OrderBy(e => e.Seq).ToList();

    private static async Task<string?> CheckoutStatusAsync(SealOffice office, string application) =>
        (await SpokenCabinet.OkAsync(await office.KeeperClient.GetAsync($"/api/checkouts/{application}"))).GetProperty("checkout").GetProperty("status").GetString();

    private async Task<string[]> RefusalReasonsAsync(string deviceId)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return (await connection.QueryAsync<string>("SELECT reason FROM refused_messages WHERE device_id = @deviceId ORDER BY reason", new { deviceId })).ToArray();
    }

    private async Task<string[]> ActiveAlarmsAsync(string deviceId)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return (await connection.QueryAsync<string>("SELECT type FROM alarms WHERE device_id = @deviceId AND active", new { deviceId })).ToArray();
    }

    private async Task<long> ScalarAsync(string sql, string id)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, new { id });
    }

    private sealed record Snapshot(string? CheckoutStatus, string TokenUses, string Seals);
}
