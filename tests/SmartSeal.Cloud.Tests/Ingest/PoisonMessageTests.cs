using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Tests.Ingest;

/// <summary>A host with a domain handler that cannot store one device's records (a stand-in for any unstorable message).</summary>
public sealed class PoisonCloudFactory : CloudFactory
{
    public const string PoisonDevice = "lock-poison-01";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // A stand-in handler is listed in the pipeline explicitly, like any other (an unlisted one stops the host).
        builder.ConfigureServices(services => services
            .AddSingleton(CloudIngestPipeline.Default.WithAfter<SmartSeal.Cloud.Checkouts.UseLedgerHandler, PoisonHandler>())
            .AddSingleton<IIngestHandler, PoisonHandler>());
    }

    private sealed class PoisonHandler : IIngestHandler
    {
        public IngestStage Stage => IngestStage.Domain;

        public Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken) =>
            batch.Items.Any(i => i.Outcome == IngestOutcome.Stored && i.DeviceId == PoisonDevice)
                ? throw new InvalidOperationException("cannot store this record")
                : Task.CompletedTask;
    }
}

public class PoisonMessageTests(PoisonCloudFactory cloud) : IClassFixture<PoisonCloudFactory>
{
    [Fact]
    public async Task One_unstorable_message_is_isolated_and_left_unacknowledged_while_the_rest_of_its_batch_is_stored()
    {
        _ = cloud.Server;
        byte[] poisonKey = await cloud.ProvisionAsync(PoisonCloudFactory.PoisonDevice);
        byte[] goodKey = await cloud.ProvisionAsync("lock-healthy-01");
        await using DeviceClient poison = await DeviceClient.ConnectAsync(cloud.MqttPort, PoisonCloudFactory.PoisonDevice, poisonKey);
        await using DeviceClient healthy = await DeviceClient.ConnectAsync(cloud.MqttPort, "lock-healthy-01", goodKey);

        await poison.SendAsync(new BatteryBody { Percent = 50, MilliVolts = 3800 });
        for (int i = 0; i < 5; i++)
        {
            await healthy.SendAsync(new BatteryBody { Percent = 90 - i, MilliVolts = 4000 });
        }

        await healthy.WaitForAckAsync(5, TimeSpan.FromSeconds(30));
        Assert.Equal(86, (await cloud.Service<SmartSeal.Cloud.Devices.DeviceRepository>().FindAsync("lock-healthy-01"))!.BatteryPercent);
        await cloud.WaitForIngestAsync(6, TimeSpan.FromSeconds(30));
        Assert.Empty(poison.AcknowledgedSeqs()); // kept on the device's flash; it will send it again
        Assert.Contains(cloud.Errors.Entries, e => e.Contains("cannot store a message", StringComparison.Ordinal));
    }
}
