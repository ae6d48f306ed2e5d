using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Commands;

/// <summary>The embedded broker forgets retained messages when the cloud stops; the cloud publishes them again at start.</summary>
public class RestartTests
{
    [Fact]
    public async Task After_a_cloud_restart_a_device_still_finds_its_desired_state()
    {
        string data = Path.Combine(Path.GetTempPath(), "smartseal-cloud-tests", "restart-" + Guid.NewGuid().ToString("n"));
        try
        {
            byte[] key;
            long version;
            using (var first = new SharedDataCloud(data))
            {
                _ = first.Server;
                key = await first.ProvisionAsync("lock-restart-01");
                version = (await first.Service<DesiredStateService>().SetEnabledAsync("lock-restart-01", false, "lost", "tester")).State!.Version;
                first.AssertNoErrors();
            }

            using var second = new SharedDataCloud(data);
            _ = second.Server;

            // The schema is current (migration numbers are handed out per area, so they may have gaps).
            Assert.Equal(System.Net.HttpStatusCode.OK, (await second.CreateClient().GetAsync("/health/ready")).StatusCode);
            await using DeviceClient device = await DeviceClient.ConnectAsync(second.MqttPort, "lock-restart-01", key);
            var desired = (DesiredStateBody)Assert.Single(await device.WaitForCloudMessagesAsync(TopicKind.DesiredState, 1)).Body;
            Assert.Equal(version, desired.Version);
            Assert.False(desired.Enabled);
            second.AssertNoErrors();
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed class SharedDataCloud(string dataDirectory) : CloudFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["SmartSeal:DataDirectory"] = dataDirectory };
    }
}
