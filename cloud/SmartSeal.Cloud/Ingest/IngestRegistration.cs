using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Devices;

namespace SmartSeal.Cloud.Ingest;

public static class IngestRegistration
{
    /// <summary>
    /// The ingest pipeline: the handlers of <paramref name="pipeline"/> (the cloud's is
    /// <c>Hosting/CloudIngestPipeline</c>), registered here and
    /// nowhere else, run in that list's order. Their own dependencies come from their areas' registrations.
    /// </summary>
    public static void AddIngest(this WebApplicationBuilder builder, IngestPipeline pipeline)
    {
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section);
        builder.Services.AddSingleton<IngestQueue>();
        builder.Services.AddSingleton<DeviceCache>();
        builder.Services.AddSingleton<DeviceEventFeed>();
        builder.Services.AddSingleton<AlarmService>();
        builder.Services.AddSingleton(pipeline);
        foreach (Type handler in pipeline.Handlers)
        {
            builder.Services.AddSingleton(typeof(IIngestHandler), handler);
        }

        builder.Services.AddSingleton<IngestService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestService>());
    }
}
