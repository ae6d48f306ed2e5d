using System.Data.Common;
using System.Net.Http.Json;
using Dapper;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.ScaleOut;

/// <summary>The whole host on PostgreSQL (<c>SmartSeal:Database:Provider=Postgres</c>): ingest and the API on the same code as SQLite.</summary>
public sealed class PostgresHostTests(ITestOutputHelper output) : PostgresHostTest(output)
{
    private async Task<long> CountAsync(string sql)
    {
        await using DbConnection connection = await Cloud!.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    [Fact]
    public async Task On_PostgreSQL_events_are_stored_once_acknowledged_and_forgeries_are_refused_with_an_alarm()
    {
        if (Cloud is null)
        {
            return;
        }

        Assert.Equal("postgres 127.0.0.1", Cloud.Service<Database>().Describe());
        byte[] key = await Cloud.ProvisionAsync("lock-pg-01");
        byte[] otherKey = await Cloud.ProvisionAsync("lock-pg-02");
        await using DeviceClient device = await DeviceClient.ConnectAsync(Cloud.MqttPort, "lock-pg-01", key);
        byte[] stamped = device.Sign(new StampedBody { AttemptId = "att-1", TokenId = "tok-1", DocumentId = "doc-1", Page = 1 });
        string topic = DeviceTopics.For("lock-pg-01", TopicKind.Events);
        for (int i = 0; i < 3; i++)
        {
            await device.PublishAsync(topic, stamped);
        }

        await device.PublishAsync(topic, device.Sign(new StampedBody { AttemptId = "att-2", TokenId = "tok-1" }, key: otherKey));
        await device.WaitForAckAsync(1);
        await Cloud.WaitForIngestAsync(4);

        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM device_messages WHERE device_id = 'lock-pg-01' AND type = 'stamped'"));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM refused_messages WHERE device_id = 'lock-pg-01' AND reason = 'EnvelopeMacMismatch'"));
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM alarms WHERE device_id = 'lock-pg-01' AND type = 'forged-message' AND active"));
        Assert.Equal([1L], device.AcknowledgedSeqs());
    }

    [Fact]
    public async Task On_PostgreSQL_presence_and_tracks_reach_the_api()
    {
        if (Cloud is null)
        {
            return;
        }

        byte[] key = await Cloud.ProvisionAsync("lock-pg-track");
        await using DeviceClient device = await DeviceClient.ConnectAsync(Cloud.MqttPort, "lock-pg-track", key);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        GeoFix Fix(long t, int lat) => new() { TimeMs = t, LatE7 = lat, LonE7 = 1214737000, AccuracyCm = 500, Satellites = 9, Quality = 1 };
        long before = Cloud.Service<IngestService>().Processed;
        await device.PublishAsync(DeviceTopics.For("lock-pg-track", TopicKind.Status), device.Sign(new StatusBody { Online = true, Firmware = "2.0.1" }, seq: 0, timeMs: now));
        await device.SendAsync(new PositionBody { Fix = Fix(now - 60_000, 312300000), Moving = true });
        await device.SendAsync(new PositionBody { Fix = Fix(now, 312310000), Moving = true });
        await device.SendAsync(new PositionBody { Fix = Fix(now + (3L * 24 * 3600 * 1000), 399990000), Moving = true });
        await device.WaitForAckAsync(3);
        await Cloud.WaitForIngestAsync(before + 4);

        HttpClient api = Cloud.AdminClient();
        DeviceView? view = await api.GetFromJsonAsync<DeviceView>("/api/devices/lock-pg-track");
        Assert.True(view!.Online);
        Assert.Equal("2.0.1", view.Firmware);
        Assert.Equal(31.231, view.Latitude!.Value, 6);
        TrackPoint[]? track = await api.GetFromJsonAsync<TrackPoint[]>($"/api/devices/lock-pg-track/track?from={now - 120_000}");
        Assert.Equal([1L, 2L, 3L], track!.Select(p => p.Seq));
        Assert.Equal([false, false, true], track!.Select(p => p.Future));
    }
}
