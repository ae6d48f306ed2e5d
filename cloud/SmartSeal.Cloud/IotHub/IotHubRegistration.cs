using SmartSeal.Cloud.Devices;


namespace SmartSeal.Cloud.IotHub;

public static class IotHubRegistration
{
    /// <summary>The IoT Hub transport: service REST client, the <see cref="IDeviceBroker"/> over it, and the Event Hubs reader feeding ingest.</summary>
    public static void AddIotHub(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IotHubOptions>().BindConfiguration(IotHubOptions.Section);
        builder.Services.AddHttpClient<IotHubServiceClient>(client => client.Timeout = TimeSpan.FromSeconds(330)); // longer than the longest method timeout
        builder.Services.AddSingleton<IotHubDeviceBroker>();
        builder.Services.AddHostedService<IotHubEventSource>();
    }
}
