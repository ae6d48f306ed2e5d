using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;
using Xunit.Abstractions;

namespace SmartSeal.Cloud.Tests.Mqtt;

/// <summary>
/// The embedded broker as Mosquitto's own command-line clients see it (issue 15 item 8): a device
/// password logs in and a wrong one does not, a device publishes only on its own topics, a
/// <c>#</c> subscription or another device's topic gets nothing, its own topic gets what the cloud
/// retained there.
/// </summary>
public class ForeignClientTests : CloudTest<CloudFactory>
{
    private const string Pub = "/usr/bin/mosquitto_pub";
    private const string Sub = "/usr/bin/mosquitto_sub";
    private readonly CloudFactory _cloud;
    private readonly ITestOutputHelper _output;
    private readonly List<string> _temporary = [];

    public ForeignClientTests(CloudFactory cloud, ITestOutputHelper output)
        : base(cloud)
    {
        _cloud = cloud;
        _output = output;
    }

    [Fact]
    public async Task Mosquitto_clients_log_in_only_with_the_device_password_and_reach_only_the_device_s_own_topics()
    {
        if (!TestServices.Available(MosquittoClients.IsInstalled, "mosquitto-clients (scripts/setup.sh)", _output))
        {
            return;
        }

        const string A = "lock-foreign-a", B = "lock-foreign-b";
        byte[] keyA = await _cloud.ProvisionAsync(A);
        byte[] keyB = await _cloud.ProvisionAsync(B);
        long expiry = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600;
        string password = BrokerPassword.Create(A, keyA, expiry);
        int port = _cloud.MqttPort;
        long before = _cloud.Service<SmartSeal.Cloud.Ingest.IngestService>().Processed;

        // A signed event on its own topic: accepted and stored.
        string own = WriteTemp(DeviceClient.SignedEnvelope(A, keyA, new StampedBody { AttemptId = "foreign-1", TokenId = "t" }, 1));
        (int ownExit, string ownText) = await MosquittoClients.RunAsync(Pub, port, A, password, "-t", DeviceTopics.For(A, TopicKind.Events), "-q", "1", "-f", own);
        _output.WriteLine($"own topic: exit {ownExit} {ownText}");
        Assert.Equal(0, ownExit);

        // The right device, another device's key: refused at login.
        (int wrongExit, string wrongText) = await MosquittoClients.RunAsync(Pub, port, A, BrokerPassword.Create(A, keyB, expiry), "-t", DeviceTopics.For(A, TopicKind.Events), "-q", "1", "-m", "x");
        _output.WriteLine($"wrong password: exit {wrongExit} {wrongText}");
        Assert.NotEqual(0, wrongExit);
        Assert.Contains("bad user name or password", wrongText, StringComparison.OrdinalIgnoreCase);

        // Another device's topic, even with that device's own signature shape: the broker answers "not authorized".
        string cross = WriteTemp(DeviceClient.SignedEnvelope(B, keyA, new StampedBody { AttemptId = "foreign-2", TokenId = "t" }, 1));
        (int crossExit, string crossText) = await MosquittoClients.RunAsync(Pub, port, A, password, "-t", DeviceTopics.For(B, TopicKind.Events), "-q", "1", "-f", cross);
        _output.WriteLine($"cross-device publish: exit {crossExit} {crossText}");
        Assert.Contains("Publish 1 failed: Not authorized", crossText, StringComparison.Ordinal);

        // Subscriptions: '#' and another device's leaf are refused; its own leaf gets the retained message.
        IDeviceBroker broker = _cloud.Service<IDeviceBroker>();
        await broker.PublishAsync(DeviceTopics.For(A, TopicKind.DesiredState), "desired-for-a"u8.ToArray(), retain: true);
        await broker.PublishAsync(DeviceTopics.For(B, TopicKind.DesiredState), "desired-for-b"u8.ToArray(), retain: true);
        (int allExit, string allText) = await MosquittoClients.RunAsync(Sub, port, A, password, "-t", "#", "-C", "1", "-W", "3");
        (int otherExit, string otherText) = await MosquittoClients.RunAsync(Sub, port, A, password, "-t", DeviceTopics.For(B, TopicKind.DesiredState), "-C", "1", "-W", "3");
        (int mineExit, string mineText) = await MosquittoClients.RunAsync(Sub, port, A, password, "-t", DeviceTopics.For(A, TopicKind.DesiredState), "-C", "1", "-W", "20");
        _output.WriteLine($"'#': exit {allExit} {allText}\nB's leaf: exit {otherExit} {otherText}\nown leaf: exit {mineExit} {mineText}");
        // (mosquitto_sub 2.0 reports a refused SUBACK in words and still exits 0.)
        Assert.Contains("All subscription requests were denied", allText, StringComparison.Ordinal);
        Assert.DoesNotContain("desired-for", allText, StringComparison.Ordinal);
        Assert.Contains("All subscription requests were denied", otherText, StringComparison.Ordinal);
        Assert.DoesNotContain("desired-for-b", otherText, StringComparison.Ordinal);
        Assert.Equal(0, mineExit);
        Assert.Equal("desired-for-a", mineText.Trim());

        await _cloud.WaitForIngestAsync(before + 2);
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id = @A", new { A }));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id = @B", new { B }));
    }

    private string WriteTemp(byte[] content)
    {
        string path = Path.Combine(Path.GetTempPath(), "smartseal-foreign-" + Guid.NewGuid().ToString("n") + ".json");
        File.WriteAllBytes(path, content);
        _temporary.Add(path);
        return path;
    }

    public override Task DisposeAsync()
    {
        _temporary.ForEach(File.Delete);
        return base.DisposeAsync();
    }
}
