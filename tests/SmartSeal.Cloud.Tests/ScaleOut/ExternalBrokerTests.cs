using System.Buffers;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Mqtt.Mosquitto;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.ScaleOut;

/// <summary>
/// External-broker mode against the Mosquitto that scripts/services.sh starts: Mosquitto checks
/// the password and ACL files our CLI writes, and two cloud instances on one PostgreSQL database
/// split the device traffic through the shared subscription. The tests of this class run one
/// after the other (they rewrite the broker's files).
/// </summary>
public sealed class ExternalBrokerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string CloudPassword = "cloud-broker-password-for-tests";
    private const long FixedExpiry = 4_102_444_800;

    private (string Host, int Port, string Directory) _broker;
    private PostgresTestDatabase? _database;

    public async Task InitializeAsync()
    {
        bool present = TestServices.Mosquitto != null && TestServices.Postgres != null;
        if (!TestServices.Available(present, $"Mosquitto and PostgreSQL ({TestServices.MosquittoVariable}, {TestServices.PostgresVariable})", output))
        {
            return;
        }

        _broker = TestServices.Mosquitto!.Value;
        _database = await PostgresTestDatabase.CreateAsync(TestServices.Postgres!);
    }

    public async Task DisposeAsync()
    {
        if (_database != null)
        {
            await _database.DisposeAsync();
        }
    }

    private static byte[] KeyOf(string deviceId, int version = 1) => DeviceKeys.Derive(CloudFactory.MasterKey, deviceId, version);

    private static string MosquittoPassword(string deviceId, int version = 1) => MosquittoAuthFiles.DevicePassword(deviceId, KeyOf(deviceId, version), FixedExpiry);

    private Task<DeviceClient> ConnectDeviceAsync(string deviceId) => DeviceClient.ConnectAsync(_broker.Port, deviceId, KeyOf(deviceId), password: MosquittoPassword(deviceId));

    /// <summary>Mosquitto reloads on SIGHUP in its own time: retry the first login that should now work.</summary>
    private async Task<T> EventuallyAsync<T>(Func<Task<T>> attempt)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (MqttLoginRefusedException) when (stopwatch.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(100); // Mosquitto reloads its password file on its own schedule: retry the login
            }
        }
    }

    private async Task<IMqttClient> ConnectCloudAccountAsync(string user, string password)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientConnectResult result;
        try
        {
            result = await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Host, _broker.Port).WithClientId(user).WithCredentials(user, password)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException e)
        {
            client.Dispose();
            throw new MqttLoginRefusedException(e.Message);
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new MqttLoginRefusedException(result.ResultCode.ToString());
        }

        return client;
    }

    [Fact]
    public async Task The_cli_writes_password_and_acl_files_that_mosquitto_enforces()
    {
        if (_database is null)
        {
            return;
        }

        using (var database = new Database(DatabaseProvider.Postgres, _database.ConnectionString))
        {
            await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync();
            var devices = new DeviceRepository(database);
            foreach (string id in new[] { "mq-cli-a", "mq-cli-b", "mq-cli-rotated" })
            {
                Assert.True(await devices.AddAsync(new Device { Id = id, Kind = DeviceKind.Lock, CreatedMs = 1 }));
            }

            Assert.Equal(2, await devices.RotateKeyAsync("mq-cli-rotated"));
        }

        // The real CLI, as an operator runs it next to the cloud's configuration.
        string cli = Path.Combine(AppContext.BaseDirectory, "smartseal-cloud.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "devices", "mosquitto-auth", "--out-dir", _broker.Directory, "--cloud-user", "cloud-cli", "--reload-pid-file", Path.Combine(_broker.Directory, "mosquitto.pid")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["SmartSeal__Database__Provider"] = "Postgres";
        start.Environment["SmartSeal__Database__ConnectionString"] = _database.ConnectionString;
        start.Environment["SmartSeal__MasterKey"] = Convert.ToHexString(CloudFactory.MasterKey);
        start.Environment["SmartSeal__Mqtt__Password"] = CloudPassword;
        start.Environment["SmartSeal__Mqtt__FixedDevicePasswordExpiry"] = FixedExpiry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["SmartSeal__DataDirectory"] = Path.Combine(Path.GetTempPath(), "smartseal-cli-" + Guid.NewGuid().ToString("n"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using Process process = Process.Start(start)!;
        string stdout = await process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"mosquitto-auth exited {process.ExitCode}: {stdout} {stderr}");
        Assert.Contains("3 devices and 1 cloud accounts", stdout);

        // Devices log in with the deterministic password of their current key version, and nothing else.
        await using DeviceClient a = await EventuallyAsync(() => ConnectDeviceAsync("mq-cli-a"));
        await using DeviceClient rotated = await DeviceClient.ConnectAsync(_broker.Port, "mq-cli-rotated", KeyOf("mq-cli-rotated", 2), password: MosquittoPassword("mq-cli-rotated", 2));
        await Assert.ThrowsAsync<MqttLoginRefusedException>(() => DeviceClient.ConnectAsync(_broker.Port, "mq-cli-b", KeyOf("mq-cli-b"),
            password: BrokerPassword.Create("mq-cli-b", KeyOf("mq-cli-b"), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600))); // a per-connect password
        await Assert.ThrowsAsync<MqttLoginRefusedException>(() => DeviceClient.ConnectAsync(_broker.Port, "mq-cli-rotated", KeyOf("mq-cli-rotated"), password: MosquittoPassword("mq-cli-rotated", 1)));
        await Assert.ThrowsAsync<MqttLoginRefusedException>(() => DeviceClient.ConnectAsync(_broker.Port, "mq-nobody", KeyOf("mq-nobody"), password: MosquittoPassword("mq-nobody")));
        await Assert.ThrowsAsync<MqttLoginRefusedException>(() => ConnectCloudAccountAsync("cloud-cli", "wrong"));

        // The cloud account sees device traffic; a device reaches only its own subtree.
        using IMqttClient cloud = await ConnectCloudAccountAsync("cloud-cli", CloudPassword);
        var seen = new ConcurrentQueue<string>();
        cloud.ApplicationMessageReceivedAsync += e =>
        {
            seen.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        // (A plain subscription: members of the instances' share group may linger from other tests.)
        MqttClientSubscribeResult all = await cloud.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(DeviceTopics.AllDevices(TopicKind.Events), MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.True((int)all.Items.Single().ResultCode <= 2, $"subscription refused: {all.Items.Single().ResultCode}");
        MqttClientPublishResult cross = await a.PublishAsync(DeviceTopics.For("mq-cli-b", TopicKind.Events), a.Sign(new StampedBody { AttemptId = "x", TokenId = "t" }, asDevice: "mq-cli-b"));
        Assert.False(cross.IsSuccess, "a device published on another device's topic");
        await a.SendAsync(new StampedBody { AttemptId = "own", TokenId = "t" });

        // Mosquitto grants any subscription and applies the ACL on delivery: a's subscription to
        // the other device's commands stays empty while the owner receives them.
        await a.SubscribeAsync(DeviceTopics.For("mq-cli-rotated", TopicKind.Commands));
        await cloud.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DeviceTopics.For("mq-cli-rotated", TopicKind.Commands)).WithPayload([1, 2, 3])
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await Eventually.Async(() => !seen.IsEmpty && rotated.Received.Count > 0, "the allowed event and command arrived");
        await Task.Delay(200); // absence window: the forbidden messages went first, but Mosquitto does not order across clients; nothing to await
        Assert.Equal([DeviceTopics.For("mq-cli-a", TopicKind.Events)], seen.ToArray());
        Assert.Equal([DeviceTopics.For("mq-cli-rotated", TopicKind.Commands)], rotated.Received.Select(m => m.Topic));
        Assert.Empty(a.Received);
    }

    [Fact]
    public async Task Two_instances_split_the_traffic_store_every_event_once_and_one_stopping_loses_nothing()
    {
        if (_database is null)
        {
            return;
        }

        const int Devices = 12;
        const int Events = 30;
        string[] ids = Enumerable.Range(0, Devices).Select(i => $"mq-lock-{i:00}").ToArray();
        MosquittoAuthFiles.Write(
            _broker.Directory,
            MosquittoAuthFiles.PasswordFile(ids.Select(id => new Device { Id = id, Kind = DeviceKind.Lock }), new DeviceKeyring(new MasterKey(CloudFactory.MasterKey)), FixedExpiry, [("cloud-a", CloudPassword), ("cloud-b", CloudPassword)]),
            MosquittoAuthFiles.AclFile(["cloud-a", "cloud-b"]));
        MosquittoReload.Signal(Path.Combine(_broker.Directory, "mosquitto.pid"));

        var a = new ExternalCloudFactory("cloud-a", _database.ConnectionString, _broker.Host, _broker.Port, CloudPassword);
        await using var b = new ExternalCloudFactory("cloud-b", _database.ConnectionString, _broker.Host, _broker.Port, CloudPassword);
        bool aStopped = false;
        try
        {
            _ = a.Server;
            _ = b.Server;
            foreach (string id in ids)
            {
                await a.ProvisionAsync(id);
            }

            await WaitUntilAsync(() => a.Service<IDeviceBroker>().IsReady && b.Service<IDeviceBroker>().IsReady, "both instances connected and subscribed");
            var devices = new List<DeviceClient>();
            foreach (string id in ids)
            {
                devices.Add(await EventuallyAsync(() => ConnectDeviceAsync(id)));
            }

            var sent = devices.ToDictionary(d => d.DeviceId, _ => new ConcurrentDictionary<long, byte[]>());
            async Task SendAsync(DeviceClient device, int count, int pauseMs)
            {
                for (int i = 0; i < count; i++)
                {
                    long seq = device.NextSeq;
                    // A record nothing but the store acts on (a stamp under a token the cloud never issued would be refused by binding).
                    byte[] envelope = device.Sign(new RefusedBody { AttemptId = $"att-{seq}", Reason = RefusalReason.NoToken });
                    sent[device.DeviceId][seq] = envelope;
                    await device.PublishAsync(DeviceTopics.For(device.DeviceId, TopicKind.Events), envelope);
                    await Task.Delay(pauseMs); // pacing: the devices keep sending while an instance stops
                }
            }

            // Both instances at work.
            await Task.WhenAll(devices.Select(d => SendAsync(d, Events / 3, 0)));
            await Task.WhenAll(devices.Select(d => ResendUntilAcknowledgedAsync(d, sent[d.DeviceId])));
            long processedByA = a.Service<IngestService>().Processed;
            long processedByB = b.Service<IngestService>().Processed;
            output.WriteLine($"first third: cloud-a processed {processedByA}, cloud-b {processedByB}");
            Assert.True(processedByA > 0 && processedByB > 0, $"the shared subscription did not split the traffic: a {processedByA}, b {processedByB}");
            a.AssertNoErrors();

            // Instance a stops while the devices keep sending; what it had not stored is resent and b takes it.
            long storedBefore = a.Service<IngestService>().Processed;
            Task sending = Task.WhenAll(devices.Select(d => SendAsync(d, Events - (Events / 3), 15)));
            await WaitUntilAsync(() => a.Service<IngestService>().Processed > storedBefore, "instance a took some of the new traffic before it stops");
            aStopped = true;
            await a.DisposeAsync();
            await sending;
            await Task.WhenAll(devices.Select(d => ResendUntilAcknowledgedAsync(d, sent[d.DeviceId])));

            await using DbConnection connection = await b.Service<Database>().OpenAsync();
            Assert.Equal((long)Devices * Events, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id LIKE 'mq-lock-%'"));
            foreach (string id in ids)
            {
                var seqs = (await connection.QueryAsync<long>("SELECT seq FROM device_messages WHERE device_id = @id ORDER BY seq", new { id })).ToArray();
                Assert.Equal(Enumerable.Range(1, Events).Select(i => (long)i), seqs);
            }

            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM refused_messages"));
            b.AssertNoErrors();
            foreach (DeviceClient device in devices)
            {
                await device.DisposeAsync();
            }
        }
        finally
        {
            // Only when the test failed before stopping it: a second disposal would hide the first failure.
            if (!aStopped)
            {
                await a.DisposeAsync();
            }
        }
    }

    /// <summary>What the firmware outbox does (every 30 s there; every second here): resend what was not acknowledged.</summary>
    private static async Task ResendUntilAcknowledgedAsync(DeviceClient device, ConcurrentDictionary<long, byte[]> sent)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(500); // pacing: the simulated outbox resends twice a second (the firmware every 30 s)
            long[] missing = sent.Keys.Except(device.AcknowledgedSeqs()).Order().ToArray();
            if (missing.Length == 0)
            {
                return;
            }

            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"{device.DeviceId}: seqs {string.Join(",", missing)} never acknowledged");
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(1))
            {
                foreach (long seq in missing)
                {
                    await device.PublishAsync(DeviceTopics.For(device.DeviceId, TopicKind.Events), sent[seq]);
                }
            }
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => Eventually.Async(condition, what);
}
