using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Mqtt;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>The mission cloud with its broker tapped (<see cref="TappedBroker"/>) and a per-device rate limit high enough for fuzzing.</summary>
public sealed class AttackCloudFactory : E2eCloudFactory
{
    public TappedBroker Broker => (TappedBroker)Service<IDeviceBroker>();

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            IDictionary<string, string?> settings = base.ExtraSettings;
            settings["SmartSeal:Mqtt:MaxMessagesPerSecondPerDevice"] = "100000";
            return settings;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TappedBroker>(sp => new TappedBroker(sp.GetRequiredService<EmbeddedDeviceBroker>()));
            services.AddSingleton<IDeviceBroker>(sp => sp.GetRequiredService<TappedBroker>());
        });
    }
}
