using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Firmware.Lock;
using SmartSeal.Simulators.Devices;
using Xunit.Abstractions;

namespace SmartSeal.EndToEnd.Tests.Faults;

/// <summary>
/// PostgreSQL restarted (<c>pg_ctl stop -m fast</c>, then start) under the running cloud while one
/// lock stamps steadily and another is tampered with and closed again. The cloud does not crash, its
/// readiness goes unhealthy and comes back, and afterwards every stamp and alarm event is stored
/// once, every stamp is in the ledger once and counted once on its token, and the ledger verifies.
/// </summary>
public sealed class DatabaseRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Postgres_restarted_mid_flow_the_cloud_recovers_and_loses_or_duplicates_no_stamp_or_alarm()
    {
        if (!TestServices.Available(PrivatePostgres.BinDirectory != null, "the PostgreSQL server binaries (scripts/setup.sh installs them)", output))
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        void Say(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
        using PrivatePostgres server = await PrivatePostgres.StartAsync();
        await using PostgresTestDatabase database = await PostgresTestDatabase.CreateAsync(server.ServerConnectionString);
        await using var cloud = new PostgresCloudFactory(database.ConnectionString);
        _ = cloud.Server;
        var mission = new Mission(cloud);
        SealOffice office = await mission.OfficeAsync();
        (SimulatedLock stamper, DeviceLoop stamperLoop) = await mission.OnlineLockAsync(OrgWorld.Unique("lock"));
        using DeviceLoop stamperRunning = stamperLoop;
        (SimulatedLock tampered, DeviceLoop tamperedLoop) = await mission.OnlineLockAsync(OrgWorld.Unique("lock"));
        using DeviceLoop tamperedRunning = tamperedLoop;
        string applicationId = await mission.LockTripAsync(office, stamper, stamps: 500);
        using HttpClient probe = cloud.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/ready")).StatusCode);

        using var stop = new CancellationTokenSource();
        Task stamping = Task.Run(() => Mission.StampSteadilyAsync(stamper, stamperLoop, stop.Token));
        await Mission.WaitUntilAsync(() => Task.FromResult(stamper.Bolt.UnlockCount >= 3), "a few stamps with the database up");

        await server.StopServerAsync();
        int atStop = stamper.Bolt.UnlockCount;
        Say($"PostgreSQL stopped after {atStop} stamps");
        await Mission.WaitUntilAsync(async () => (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable, "readiness reports the database down");
        tamperedLoop.Run(() => tampered.SetTamper(true));
        await Task.Delay(700); // fault: the case is held open a while, as a person would, while the database is down
        tamperedLoop.Run(() => tampered.SetTamper(false));
        await Task.Delay(4_000); // longer than the ingest's first retries (0.2 s, 0.4 s, 0.6 s...): it keeps retrying, it does not give up
        Assert.True(stamper.Bolt.UnlockCount > atStop, "the lock stamped on while the database was down");
        Assert.True(stamper.Queue.Count > 0, "stamps made during the outage wait unacknowledged in the lock's outbox");

        await server.StartServerAsync();
        // The test's own pooled session on the maintenance database died with the server (it drops the test database at the end).
        Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(server.ServerConnectionString));
        int atStart = stamper.Bolt.UnlockCount;
        Say($"PostgreSQL started again; {atStart - atStop} stamps were made while it was down");
        await Mission.WaitUntilAsync(async () => (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "readiness healthy again", 60);
        await Mission.WaitUntilAsync(() => Task.FromResult(stamper.Bolt.UnlockCount >= atStart + 3), "stamping after the restart", 60);
        await stop.CancelAsync();
        await stamping;
        await Mission.WaitUntilAsync(() => Task.FromResult(stamper.Queue.Count == 0 && tampered.Queue.Count == 0), "both outboxes drained", 60);
        Say($"outboxes drained; {stamper.Bolt.UnlockCount} stamps in all; errors logged during the outage: {cloud.Errors.Entries.Count}");
        foreach (string error in cloud.Errors.Entries.Take(3))
        {
            output.WriteLine("  " + error.Split('\n')[0]);
        }

        int stamps = stamper.Bolt.UnlockCount;
        await using DbConnection connection = await cloud.Service<Database>().OpenAsync();
        foreach (string deviceId in new[] { stamper.DeviceId, tampered.DeviceId })
        {
            // Every event the lock numbered is stored, once: seqs 1..n without a gap.
            long[] seqs = (await connection.QueryAsync<long>("SELECT seq FROM device_messages WHERE device_id = @deviceId AND seq > 0 ORDER BY seq", new { deviceId })).ToArray();
            Assert.Equal(Enumerable.Range(1, seqs.Length).Select(i => (long)i), seqs);
        }

        Assert.Equal(stamps, await mission.CountAsync(stamper.DeviceId, "stamped"));
        string[] sources = await mission.LedgerSourcesAsync(office.SealId, "stamp");
        Assert.Equal(stamps, sources.Length);
        Assert.Equal(stamps, sources.Distinct().Count());
        JsonElement token = (await Mission.CheckoutAsync(office, applicationId)).GetProperty("tokens")[0];
        Assert.Equal(stamps, token.GetProperty("used").GetInt32());

        Assert.Equal(2, await mission.CountAsync(tampered.DeviceId, "tamper")); // opened, closed
        var tamperAlarms = (await connection.QueryAsync<(string Type, long? ClearedMs)>("SELECT type, cleared_ms FROM alarms WHERE device_id = @id", new { id = tampered.DeviceId })).ToList();
        (string type, long? clearedMs) = Assert.Single(tamperAlarms);
        Assert.Equal("tamper", type);
        Assert.NotNull(clearedMs);
        Assert.Empty(await mission.ActiveAlarmsAsync(stamper.DeviceId));
        await mission.AssertLedgerIntactAsync(office.SealId);

        // Recovered for good: a new stamp goes through with nothing logged as an error.
        cloud.Errors.Clear();
        await mission.StampAsync(stamper, stamperLoop, stamps + 1);
        cloud.AssertNoErrors();
        stamperLoop.Run(stamper.Shutdown);
        tamperedLoop.Run(tampered.Shutdown);
    }
}
