using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Ingest.Handlers;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Tests.Storage;

/// <summary>
/// The storage contract, written once and run against each database (<see cref="SqliteStorageTests"/>,
/// <see cref="PostgresStorageTests"/>): migrations, the device registry, dedupe under concurrency,
/// the one-active-alarm rule and tracks, through the same repository and handler code the host runs.
/// </summary>
public abstract class StorageContractTests : IAsyncLifetime
{
    private Database? _database;

    /// <summary>A fresh, empty database, or null when the server is missing and that is allowed.</summary>
    protected abstract Task<Database?> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();

    protected Database Db => _database!;

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        if (_database != null)
        {
            await new Migrator(_database, NullLogger<Migrator>.Instance).MigrateAsync();
        }
    }

    public async Task DisposeAsync()
    {
        _database?.Dispose();
        await DropDatabaseAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using DbConnection connection = await Db.OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no result: " + sql);
    }

    private async Task AddDeviceAsync(string id, DeviceKind kind = DeviceKind.Lock, int compartments = 0) =>
        Assert.True(await new DeviceRepository(Db).AddAsync(new Device { Id = id, Kind = kind, Compartments = compartments, CreatedMs = 1_700_000_000_000 }));

    [Fact]
    public async Task A_rotation_or_retirement_by_another_process_reaches_a_cache_before_its_next_answer()
    {
        if (_database is null)
        {
            return;
        }

        await AddDeviceAsync("lock-cached");
        var repository = new DeviceRepository(Db);
        var cache = new DeviceCache(repository, new StoppedClock()); // no entry ever expires by time
        var seen = new List<string>();
        cache.Changed += change => seen.Add(change.Change);
        Assert.Equal(1, (await cache.FindAsync("lock-cached"))!.KeyVersion);

        // The CLI (another process, its own repository) rotates, then retires.
        Assert.Equal(2, await new DeviceRepository(Db).RotateKeyAsync("lock-cached"));
        Assert.Equal(2, (await cache.FindAsync("lock-cached"))!.KeyVersion);
        await using (DbConnection connection = await Db.OpenAsync())
        {
            await using DbTransaction transaction = await connection.BeginTransactionAsync();
            Assert.True(await repository.RetireAsync("lock-cached", 1_700_000_000_000, connection, transaction));
            Assert.False(await repository.RetireAsync("lock-cached", 1_700_000_000_000, connection, transaction));
            await transaction.CommitAsync();
        }

        Assert.True((await cache.FindAsync("lock-cached"))!.Retired);
        Assert.Equal([DeviceChanges.KeyRotated, DeviceChanges.Retired], seen);
    }

    [Fact]
    public async Task Migrations_apply_once_and_record_every_version()
    {
        if (_database is null)
        {
            return;
        }

        Assert.Equal(0, await new Migrator(Db, NullLogger<Migrator>.Instance).MigrateAsync());
        await using DbConnection connection = await Db.OpenAsync();
        var versions = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(Migrator.Scripts.Select(s => (long)s.Version), versions);
        Assert.All(await connection.QueryAsync<long>("SELECT applied_ms FROM schema_migrations"), ms => Assert.True(ms > 1_600_000_000_000));
    }

    [Fact]
    public async Task The_device_registry_adds_finds_lists_rotates_and_orders_presence_by_device_time()
    {
        if (_database is null)
        {
            return;
        }

        var devices = new DeviceRepository(Db);
        await AddDeviceAsync("cab-01", DeviceKind.Cabinet, 12);
        await AddDeviceAsync("lock-01");
        Assert.False(await devices.AddAsync(new Device { Id = "lock-01", Kind = DeviceKind.Lock, CreatedMs = 1 }));

        Device cabinet = (await devices.FindAsync("cab-01"))!;
        Assert.Equal((DeviceKind.Cabinet, 12, 1, false, 1_700_000_000_000L), (cabinet.Kind, cabinet.Compartments, cabinet.KeyVersion, cabinet.Online, cabinet.CreatedMs));
        Assert.Null(await devices.FindAsync("nobody"));
        Assert.Equal(["cab-01", "lock-01"], (await devices.ListAsync(null, null)).Select(d => d.Id));
        Assert.Equal(["lock-01"], (await devices.ListAsync(DeviceKind.Lock, null)).Select(d => d.Id));

        Assert.Equal(2, await devices.RotateKeyAsync("lock-01"));
        Assert.Equal(3, await devices.RotateKeyAsync("lock-01"));
        Assert.Null(await devices.RotateKeyAsync("nobody"));
        Assert.Equal(3, (await devices.FindAsync("lock-01"))!.KeyVersion);

        Assert.True(await devices.SetPresenceAsync("lock-01", true, 2_000, null, "1.2.0", 5_000));
        Assert.False(await devices.SetPresenceAsync("lock-01", false, 1_000, "connection lost", null, 6_000)); // a late last will
        Device lockDevice = (await devices.FindAsync("lock-01"))!;
        Assert.Equal((true, "1.2.0", 5_000L), (lockDevice.Online, lockDevice.Firmware, lockDevice.LastSeenMs));
        Assert.Equal(["lock-01"], (await devices.ListAsync(null, true)).Select(d => d.Id));
        Assert.Equal(["cab-01"], (await devices.ListAsync(null, false)).Select(d => d.Id));
    }

    [Fact]
    public async Task Concurrent_batches_with_the_same_device_and_seq_store_each_record_once()
    {
        if (_database is null)
        {
            return;
        }

        await AddDeviceAsync("lock-dup");
        const int Writers = 6;
        const int Seqs = 40;
        var store = new StoreHandler(Db, new DeviceRepository(Db));
        IngestBatch[] batches = Enumerable.Range(0, Writers).Select(_ => new IngestBatch(Enumerable.Range(1, Seqs).Select(s => Item("lock-dup", s, new StampedBody { AttemptId = "a" + s, TokenId = "t" })).ToList(), 1_700_000_000_000)).ToArray();

        // Every writer runs the store stage and commits at the same time, as several instances or a
        // retried batch would; the unique (device, seq) decides, whoever commits first.
        await Task.WhenAll(batches.Select(batch => Task.Run(async () =>
        {
            await store.HandleAsync(batch, CancellationToken.None);
            await batch.Transaction!.CommitAsync();
            await batch.Transaction.DisposeAsync();
            await batch.Connection!.DisposeAsync();
        })));

        Assert.Equal(Seqs, batches.Sum(b => b.Items.Count(i => i.Outcome == IngestOutcome.Stored)));
        Assert.Equal((Writers - 1) * Seqs, batches.Sum(b => b.Items.Count(i => i.Outcome == IngestOutcome.Duplicate)));
        Assert.Equal((long)Seqs, await ScalarAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id = 'lock-dup'"));
        Assert.Equal((long)Seqs, await ScalarAsync<long>("SELECT COUNT(DISTINCT seq) FROM device_messages WHERE device_id = 'lock-dup'"));
    }

    [Fact]
    public async Task One_alarm_per_device_type_and_compartment_is_active_and_raising_it_again_counts()
    {
        if (_database is null)
        {
            return;
        }

        var alarms = new AlarmService(Db, new SmartSeal.Cloud.Alarms.Webhooks.WebhookOutbox(new FixedOptionsMonitor<SmartSeal.Cloud.Alarms.AlarmOptions>(new())), TimeProvider.System, NullLogger<AlarmService>.Instance);
        AlarmChange first = await alarms.RaiseAsync("cab-a", AlarmTypes.ForgedMessage, 3, "one");
        AlarmChange again = await alarms.RaiseAsync("cab-a", AlarmTypes.ForgedMessage, 3, "two");
        AlarmChange otherCompartment = await alarms.RaiseAsync("cab-a", AlarmTypes.ForgedMessage, 4, "three");
        Assert.True(first.IsNew);
        Assert.False(again.IsNew);
        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, otherCompartment.Id);

        // Concurrent raises (two instances, two batches) still leave one active alarm.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => alarms.RaiseAsync("cab-a", AlarmTypes.ForgedMessage, 3, "burst"))));
        Assert.Equal(10L, await ScalarAsync<long>("SELECT occurrences FROM alarms WHERE device_id = 'cab-a' AND compartment = 3 AND active"));

        AlarmChange? cleared = await alarms.ClearAsync("cab-a", AlarmTypes.ForgedMessage, 3, "keeper", "checked");
        Assert.Equal(first.Id, cleared!.Id);
        Assert.Null(await alarms.ClearAsync("cab-a", AlarmTypes.ForgedMessage, 3, "keeper", "twice"));
        AlarmChange reopened = await alarms.RaiseAsync("cab-a", AlarmTypes.ForgedMessage, 3, "again");
        Assert.True(reopened.IsNew);
        Assert.NotEqual(first.Id, reopened.Id);
        Assert.Equal(2L, await ScalarAsync<long>("SELECT COUNT(*) FROM alarms WHERE device_id = 'cab-a' AND active"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM alarms WHERE device_id = 'cab-a' AND NOT active AND cleared_by = 'keeper'"));
    }

    [Fact]
    public async Task Positions_form_a_track_and_only_believable_newer_fixes_become_the_latest()
    {
        if (_database is null)
        {
            return;
        }

        await AddDeviceAsync("lock-track");
        long now = 1_700_000_000_000;
        GeoFix Fix(long t, int lat) => new() { TimeMs = t, LatE7 = lat, LonE7 = 1214737000, AccuracyCm = 500, Satellites = 9, Quality = 1 };
        var batch = new IngestBatch(
            [
                Item("lock-track", 1, new PositionBody { Fix = Fix(now - 60_000, 312300000), Moving = true }),
                Item("lock-track", 2, new PositionBody { Fix = Fix(now, 312310000), Moving = true }),
                Item("lock-track", 3, new PositionBody { Fix = Fix(now + (3L * 24 * 3600 * 1000), 399990000), Moving = true }),
                Item("lock-track", 4, new PositionBody { Fix = Fix(now - 120_000, 312290000), Moving = false }),
            ],
            now);
        await new StoreHandler(Db, new DeviceRepository(Db)).HandleAsync(batch, CancellationToken.None);
        await new PositionHandler(new PositionStore(Db)).HandleAsync(batch, CancellationToken.None);
        await batch.Transaction!.CommitAsync();
        await batch.Connection!.DisposeAsync();

        var devices = new DeviceRepository(Db);
        Device stored = (await devices.FindAsync("lock-track"))!;
        Assert.Equal((312310000, now, 5), (stored.LastLatE7, stored.LastFixMs, stored.LastAccuracyM));
        var result = await DevicesApi.TrackAsync("lock-track", now - 200_000, now + (4L * 24 * 3600 * 1000), devices, Db, CancellationToken.None);
        TrackPoint[] track = Assert.IsType<Ok<TrackPoint[]>>(result.Result).Value!;
        Assert.Equal([4L, 1L, 2L, 3L], track.Select(p => p.Seq));
        Assert.Equal([false, false, false, true], track.Select(p => p.Future));
        Assert.Equal([false, true, true, true], track.Select(p => p.Moving));
        Assert.All(track, p => Assert.Equal(now, p.ServerMs));
    }

    /// <summary>A message as the verify stage leaves it: trusted, decoded, pending storage.</summary>
    private static IngestItem Item(string deviceId, long seq, MessageBody body)
    {
        var item = new IngestItem(new InboundMessage($"smartseal/v1/{deviceId}/{(body is PositionBody ? "tele" : "evt")}", [], deviceId, 0, 0))
        {
            DeviceId = deviceId, Body = body,
        };
        item.Envelope.DeviceId = deviceId;
        item.Envelope.Seq = seq;
        item.Envelope.Type = body.Type;
        item.Envelope.Time = 1_700_000_000_000;
        item.Envelope.SetBody(MessageCodec.EncodeBody(body));
        return item;
    }

    /// <summary>A clock that never moves, so only the change feed can make the cache read again.</summary>
    private sealed class StoppedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
    }
}

/// <summary>The storage contract on SQLite (a temporary file, WAL), always.</summary>
public sealed class SqliteStorageTests : StorageContractTests
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "smartseal-storage-tests", Guid.NewGuid().ToString("n") + ".db");

    protected override Task<Database?> CreateDatabaseAsync() => Task.FromResult<Database?>(new Database(DatabaseProvider.Sqlite, "Data Source=" + _file));

    protected override Task DropDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_file + suffix);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The storage contract on PostgreSQL (a fresh database on the server scripts/services.sh starts).</summary>
public sealed class PostgresStorageTests(ITestOutputHelper output) : StorageContractTests
{
    private PostgresTestDatabase? _database;

    protected override async Task<Database?> CreateDatabaseAsync()
    {
        if (!TestServices.Available(TestServices.Postgres != null, $"PostgreSQL ({TestServices.PostgresVariable})", output))
        {
            return null;
        }

        _database = await PostgresTestDatabase.CreateAsync(TestServices.Postgres!);
        return new Database(DatabaseProvider.Postgres, _database.ConnectionString);
    }

    protected override async Task DropDatabaseAsync()
    {
        if (_database != null)
        {
            await _database.DisposeAsync();
        }
    }
}
