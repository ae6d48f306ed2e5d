using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Devices;

namespace SmartSeal.Cloud.Ingest;

public static class IngestRegistration
{
    /// <summary>
    /// The ingest pipeline: the handlers of <see cref="IngestPipeline.Default"/>, registered here and
    /// nowhere else, run in that list's order. Their own dependencies come from their areas' registrations.
    /// </summary>
    public static void AddIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngestQueue>();
        builder.Services.AddSingleton<DeviceCache>();
        builder.Services.AddSingleton<DeviceEventFeed>();
        builder.Services.AddSingleton<AlarmService>();
        builder.Services.AddSingleton(IngestPipeline.Default);
        foreach (Type handler in IngestPipeline.Default.Handlers)
        {
            builder.Services.AddSingleton(typeof(IIngestHandler), handler);
        }

        builder.Services.AddSingleton<IngestService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestService>());
    }
}
