using System.Data.Common;
using Dapper;
using MQTTnet;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Ingest;

/// <summary>Devices over real MQTT against the running cloud: secure, idempotent ingest.</summary>
public class IngestTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;

    public IngestTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    private async Task<T> QueryAsync<T>(string sql, object? args = null)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no result");
    }

    [Fact]
    public async Task Events_are_stored_once_and_acknowledged_even_when_redelivered()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-ingest-01");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-ingest-01", key);
        byte[] stamped = device.Sign(new StampedBody { AttemptId = "att-1", TokenId = "tok-1", DocumentId = "doc-1", Page = 1 });
        string topic = DeviceTopics.For("lock-ingest-01", TopicKind.Events);

        for (int i = 0; i < 3; i++)
        {
            await device.PublishAsync(topic, stamped); // QoS 1 redelivery, outbox replay after reboot...
        }

        await device.WaitForAckAsync(1);
        await _cloud.WaitForIngestAsync(3);
        Assert.Equal(1L, await QueryAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id = 'lock-ingest-01' AND type = 'stamped'"));
    }

    [Fact]
    public async Task Acks_go_straight_to_the_devices_session_and_after_a_reconnect_to_its_new_connection()
    {
        var broker = _cloud.Service<SmartSeal.Cloud.Mqtt.EmbeddedDeviceBroker>();
        byte[] key = await _cloud.ProvisionAsync("lock-direct-01");
        string topic = DeviceTopics.For("lock-direct-01", TopicKind.Events);
        DeviceClient first = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-direct-01", key);
        long before = broker.DeliveredDirectly;
        await first.PublishAsync(topic, first.Sign(new StampedBody { AttemptId = "att-1", TokenId = "tok-1", DocumentId = "doc-1", Page = 1 }, seq: 1));
        await first.WaitForAckAsync(1);
        Assert.True(broker.DeliveredDirectly > before, "the ack went through the broker's matching of every session");

        // The device drops off without a word and logs in again: its old session is gone, acks reach the new one.
        first.Kill();
        await using DeviceClient second = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-direct-01", key);
        await second.PublishAsync(topic, second.Sign(new StampedBody { AttemptId = "att-2", TokenId = "tok-1", DocumentId = "doc-1", Page = 1 }, seq: 2));
        await second.PublishAsync(topic, second.Sign(new StampedBody { AttemptId = "att-1", TokenId = "tok-1", DocumentId = "doc-1", Page = 1 }, seq: 1)); // resent from its outbox
        await second.WaitForAckAsync(2);
        await second.WaitForAckAsync(1);
    }

    [Fact]
    public async Task A_wrong_password_an_unknown_device_and_a_foreign_client_id_cannot_log_in()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-login-01");
        byte[] otherKey = DeviceKeys.Derive(CloudFactory.MasterKey, "lock-login-01", 2);
        long expiry = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600;

        await Assert.ThrowsAsync<MqttLoginRefusedException>(() => DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-login-01", key, password: BrokerPassword.Create("lock-login-01", otherKey, expiry)));
        await Assert.ThrowsAsync<MqttLoginRefusedException>(() => DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-nobody", DeviceKeys.Derive(CloudFactory.MasterKey, "lock-nobody", 1)));
        await Assert.ThrowsAsync<MqttLoginRefusedException>(() => DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-login-01", key, clientId: "someone-else"));
        await Assert.ThrowsAsync<MqttLoginRefusedException>(() => DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-login-01", key, password: BrokerPassword.Create("lock-login-01", key, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + (30L * 24 * 3600))));
        await using DeviceClient ok = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-login-01", key);
    }

    [Fact]
    public async Task A_device_cannot_publish_or_subscribe_outside_its_subtree_and_forged_messages_raise_alarms()
    {
        byte[] keyA = await _cloud.ProvisionAsync("lock-acl-a");
        byte[] keyB = await _cloud.ProvisionAsync("lock-acl-b");
        await using DeviceClient a = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-acl-a", keyA);
        long before = _cloud.Service<SmartSeal.Cloud.Ingest.IngestService>().Processed;

        // As another device, on its topic: refused by the broker's ACL.
        MqttClientPublishResult cross = await a.PublishAsync(DeviceTopics.For("lock-acl-b", TopicKind.Events), a.Sign(new StampedBody { AttemptId = "x", TokenId = "t" }, asDevice: "lock-acl-b"));
        Assert.False(cross.IsSuccess);

        // On its own topic but signed with a key that is not its own: refused at ingest.
        await a.PublishAsync(DeviceTopics.For("lock-acl-a", TopicKind.Events), a.Sign(new StampedBody { AttemptId = "x", TokenId = "t" }, key: keyB));

        // Garbage.
        await a.PublishAsync(DeviceTopics.For("lock-acl-a", TopicKind.Events), [0x7B, 0x22, 0xFF]);

        // Subscribing to another device's commands.
        MqttClientSubscribeResult sub = await a.SubscribeAsync(DeviceTopics.For("lock-acl-b", TopicKind.Commands));
        Assert.True((int)sub.Items.Single().ResultCode > 2);

        await _cloud.WaitForIngestAsync(before + 3);
        Assert.Equal(0L, await QueryAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id IN ('lock-acl-a', 'lock-acl-b')"));
        Assert.Equal(3L, await QueryAsync<long>("SELECT COUNT(*) FROM refused_messages WHERE device_id IN ('lock-acl-a', 'lock-acl-b')"));
        // Every refusal is the sender's: the publish into b's topic is recorded and alarmed on a, not on b.
        Assert.Equal(3L, await QueryAsync<long>("SELECT COUNT(*) FROM refused_messages WHERE device_id = 'lock-acl-a'"));
        Assert.Equal("lock-acl-a", await QueryAsync<string>("SELECT device_id FROM refused_messages WHERE reason = 'acl-denied' AND topic LIKE '%lock-acl-b%'"));
        Assert.Equal(0L, await QueryAsync<long>("SELECT COUNT(*) FROM alarms WHERE device_id = 'lock-acl-b'"));
        Assert.Equal(1L, await QueryAsync<long>("SELECT COUNT(*) FROM alarms WHERE device_id = 'lock-acl-a' AND type = 'forged-message' AND active"));
        Assert.Empty(a.AcknowledgedSeqs());
    }

    [Fact]
    public async Task Presence_follows_signed_status_and_a_late_last_will_does_not_mark_a_reconnected_device_offline()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-presence-01");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-presence-01", key);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long before = _cloud.Service<SmartSeal.Cloud.Ingest.IngestService>().Processed;
        string status = DeviceTopics.For("lock-presence-01", TopicKind.Status);
        await device.PublishAsync(status, device.Sign(new StatusBody { Online = true, Firmware = "1.4.2" }, seq: 0, timeMs: now));
        await device.PublishAsync(status, device.Sign(new StatusBody { Online = false, Reason = "connection lost" }, seq: 0, timeMs: now - 60_000));
        await _cloud.WaitForIngestAsync(before + 2);

        Device? stored = await _cloud.Service<DeviceRepository>().FindAsync("lock-presence-01");
        Assert.True(stored!.Online);
        Assert.Equal("1.4.2", stored.Firmware);
    }

    [Fact]
    public async Task Positions_become_a_track_and_a_future_dated_fix_never_becomes_the_latest()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-track-01");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-track-01", key);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        GeoFix Fix(long t, int lat) => new() { TimeMs = t, LatE7 = lat, LonE7 = 1214737000, AccuracyCm = 500, Satellites = 9, Quality = 1 };
        await device.SendAsync(new PositionBody { Fix = Fix(now - 60_000, 312300000), Moving = true });
        await device.SendAsync(new PositionBody { Fix = Fix(now, 312310000), Moving = true });
        await device.SendAsync(new PositionBody { Fix = Fix(now + (3L * 24 * 3600 * 1000), 399990000), Moving = true }); // clock gone wrong
        await device.SendAsync(new PositionBody { Fix = Fix(now - 120_000, 312290000), Moving = false }); // replayed older report
        await device.WaitForAckAsync(4);

        Device? stored = await _cloud.Service<DeviceRepository>().FindAsync("lock-track-01");
        Assert.Equal(312310000, stored!.LastLatE7);
        Assert.Equal(4L, await QueryAsync<long>("SELECT COUNT(*) FROM positions WHERE device_id = 'lock-track-01'"));
        Assert.Equal(1L, await QueryAsync<long>("SELECT COUNT(*) FROM positions WHERE device_id = 'lock-track-01' AND future"));
    }

    [Fact]
    public async Task A_device_that_vanishes_is_marked_offline_by_its_signed_last_will()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-will-01");
        var signer = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-will-01", key);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[] will = signer.Sign(new StatusBody { Online = false, Reason = "connection lost" }, seq: 0, timeMs: now + 1);
        await signer.DisposeAsync();

        DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-will-01", key, will: will);
        await device.PublishAsync(DeviceTopics.For("lock-will-01", TopicKind.Status), device.Sign(new StatusBody { Online = true }, seq: 0, timeMs: now));
        await WaitUntilAsync(async () => (await _cloud.Service<DeviceRepository>().FindAsync("lock-will-01"))!.Online);

        device.Kill(); // no DISCONNECT: the broker publishes the will
        await WaitUntilAsync(async () => !(await _cloud.Service<DeviceRepository>().FindAsync("lock-will-01"))!.Online);
        Assert.Equal("connection lost", (await _cloud.Service<DeviceRepository>().FindAsync("lock-will-01"))!.StatusReason);
    }

    [Fact]
    public async Task A_flood_of_refusals_from_one_source_is_counted_in_full_but_recorded_in_bounded_rows()
    {
        var items = Enumerable.Range(0, 300).Select(i =>
        {
            var item = new SmartSeal.Cloud.Ingest.IngestItem(new SmartSeal.Cloud.Ingest.InboundMessage(DeviceTopics.For("lock-flood-01", TopicKind.Events), [0x7B, (byte)i], "lock-flood-01", 0, 0))
            {
                DeviceId = "lock-flood-01",
            };
            item.Refuse("JsonMalformed", "garbage " + i, securityRelevant: false);
            return item;
        }).ToList();
        var handler = _cloud.Service<IEnumerable<SmartSeal.Cloud.Ingest.IIngestHandler>>().OfType<SmartSeal.Cloud.Ingest.Handlers.RefusalHandler>().Single();
        await handler.HandleAsync(new SmartSeal.Cloud.Ingest.IngestBatch(items, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), CancellationToken.None);

        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        var rows = (await connection.QueryAsync<(string Reason, string Detail)>("SELECT reason, detail FROM refused_messages WHERE device_id = 'lock-flood-01'")).ToList();
        Assert.Equal(SmartSeal.Cloud.Ingest.Handlers.RefusalHandler.RecordedPerSourcePerBatch + 1, rows.Count);
        Assert.Equal("280 more refused messages in this batch", rows.Single(r => r.Reason == "flood").Detail);
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Eventually.Async(condition, "the condition is reached", TimeSpan.FromSeconds(10));
}
