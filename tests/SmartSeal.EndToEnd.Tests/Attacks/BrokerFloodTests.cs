using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using MQTTnet;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Protocol.Security;
using Xunit.Abstractions;

namespace SmartSeal.EndToEnd.Tests.Attacks;

/// <summary>
/// Anonymous floods at the MQTT port before any login (issue 15 item 3): CONNECTs claiming 64 MB
/// and streaming it, a PUBLISH as the first packet, CONNECTs that start and never finish. Against
/// the cloud's embedded broker (a real process, its resident memory read from /proc) and against
/// Mosquitto with the limits the project ships (cloud/mosquitto/limits.conf). The broker must cut
/// every attacker off early, keep its memory, and log a real device in throughout.
/// </summary>
public sealed class BrokerFloodTests(ITestOutputHelper output)
{
    private const int Claimed = 64 * 1024 * 1024;

    /// <summary>What a connection may get onto the wire before it is cut off: socket buffers, not the claimed 64 MB.</summary>
    private const long CutOffBelow = 16 * 1024 * 1024;

    /// <summary>Growth of the peak resident memory over idle that still counts as holding: four absorbed CONNECTs alone would be 256 MB.</summary>
    private const long HeldBelow = 100 * 1024 * 1024;

    [Fact]
    public async Task The_embedded_broker_cuts_off_oversized_non_connect_and_slow_connects_before_login_keeps_its_memory_and_serves_devices()
    {
        string data = RestartableCloud.NewDataDirectory();
        using CloudProcess cloud = await CloudProcess.StartAsync(data, CloudFactory.FreePort(), CloudFactory.FreePort(), new Dictionary<string, string>
        {
            ["SmartSeal__Mqtt__Limits__ConnectTimeoutSeconds"] = "2",
        });
        try
        {
            string lockId = "flood-lock-1";
            using HttpClient admin = cloud.AdminClient();
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/devices", new { deviceId = lockId, kind = "lock" })).StatusCode);
            byte[] key = DeviceKeys.Derive(CloudFactory.MasterKey, lockId, 1);
            string password = BrokerPassword.Create(lockId, key, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
            Assert.True(await DeviceConnectsAsync(cloud.MqttPort, lockId, password), "a device logs in before the attack");

            (long idle, long peak) = await UnderAttackAsync(cloud.Id, async () =>
            {
                await OversizedAreCutOffAsync(cloud.MqttPort);

                List<Socket> slow = await ConnectFlood.SlowConnectsAsync(cloud.MqttPort, 150);
                try
                {
                    Assert.True(await DeviceConnectsAsync(cloud.MqttPort, lockId, password), "a device logs in while 150 CONNECTs hang");
                    Assert.True(await ConnectFlood.AllClosedByBrokerAsync(slow, TimeSpan.FromSeconds(60)), "the broker closed every unfinished CONNECT after its deadline");
                }
                finally
                {
                    slow.ForEach(s => s.Dispose());
                }
            });

            output.WriteLine($"cloud resident memory: idle {Mb(idle)} MB, peak under attack {Mb(peak)} MB");
            Assert.True(peak - idle < HeldBelow, $"resident memory grew from {Mb(idle)} MB to {Mb(peak)} MB");
            Assert.True(await DeviceConnectsAsync(cloud.MqttPort, lockId, password), "a device logs in after the attack");
            Assert.Contains(cloud.Output, line => line.Contains("over the limit of 4096", StringComparison.Ordinal));
            Assert.Contains(cloud.Output, line => line.Contains("not CONNECT", StringComparison.Ordinal));
            Assert.Contains(cloud.Output, line => line.Contains("no complete CONNECT within 2 s", StringComparison.Ordinal));
            Assert.Empty(cloud.Errors);
        }
        finally
        {
            RestartableCloud.DeleteDataDirectory(data);
        }
    }

    [Fact]
    public async Task Mosquitto_with_the_shipped_limits_cuts_off_oversized_connects_keeps_its_memory_and_serves_devices()
    {
        if (!TestServices.Available(PrivateMosquitto.IsInstalled, "mosquitto (scripts/setup.sh)", output))
        {
            return;
        }

        string lockId = "flood-lock-2";
        using PrivateMosquitto mosquitto = await PrivateMosquitto.StartAsync([lockId], []);
        string password = PrivateMosquitto.DevicePassword(lockId);
        Assert.True(await DeviceConnectsAsync(mosquitto.Port, lockId, password), "a device logs in before the attack");

        (long idle, long peak) = await UnderAttackAsync(mosquitto.ProcessId, async () =>
        {
            await OversizedAreCutOffAsync(mosquitto.Port);

            // Mosquitto 2.0 has no CONNECT deadline of its own (it drops a silent client after ~90 s):
            // the hanging connections only count against max_connections, and a device still gets in.
            List<Socket> slow = await ConnectFlood.SlowConnectsAsync(mosquitto.Port, 150);
            try
            {
                Assert.True(await DeviceConnectsAsync(mosquitto.Port, lockId, password), "a device logs in while 150 CONNECTs hang");
            }
            finally
            {
                slow.ForEach(s => s.Dispose());
            }
        });

        output.WriteLine($"Mosquitto resident memory: idle {Mb(idle)} MB, peak under attack {Mb(peak)} MB");
        Assert.True(peak - idle < HeldBelow, $"resident memory grew from {Mb(idle)} MB to {Mb(peak)} MB");
        Assert.True(await DeviceConnectsAsync(mosquitto.Port, lockId, password), "a device logs in after the attack");
    }

    /// <summary>Eight CONNECTs and four first PUBLISHes claiming 64 MB each: every one cut off after socket buffers' worth.</summary>
    private async Task OversizedAreCutOffAsync(int port)
    {
        long[] oversized = await ConnectFlood.OversizedConnectsAsync(port, 8, Claimed);
        long[] publishFirst = await ConnectFlood.OversizedPublishesFirstAsync(port, 4, Claimed);
        output.WriteLine($"oversized CONNECTs got {Mb(oversized.Max())} MB onto the wire at most; PUBLISH-first {Mb(publishFirst.Max())} MB");
        Assert.All(oversized.Concat(publishFirst), sent => Assert.True(sent < CutOffBelow, $"{sent} bytes went through"));
    }

    private static async Task<(long Idle, long Peak)> UnderAttackAsync(int pid, Func<Task> attack)
    {
        long idle = ProcessMemory.ResidentBytes(pid);
        ProcessMemory.ResetPeak(pid);
        await attack();
        return (idle, ProcessMemory.PeakResidentBytes(pid));
    }

    private static async Task<bool> DeviceConnectsAsync(int port, string deviceId, string password)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptions options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(deviceId).WithCredentials(deviceId, password)
            .WithTimeout(TimeSpan.FromSeconds(10)).Build();
        try
        {
            bool connected = (await client.ConnectAsync(options)).ResultCode == MqttClientConnectResultCode.Success;
            await client.DisconnectAsync();
            return connected;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return false;
        }
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
