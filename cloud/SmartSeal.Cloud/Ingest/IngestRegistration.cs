using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest.Handlers;

namespace SmartSeal.Cloud.Ingest;

public static class IngestRegistration
{
    /// <summary>
    /// The ingest pipeline, in order: verify → rate limit → store (dedupe) → domain handlers →
    /// commit → acknowledge → record refusals → notify. Later areas add domain handlers with
    /// <c>AddSingleton&lt;IIngestHandler, ...&gt;</c>; within a stage, registration order is run order.
    /// </summary>
    public static void AddIngest(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngestQueue>();
        builder.Services.AddSingleton<DeviceCache>();
        builder.Services.AddSingleton<DeviceEventFeed>();
        builder.Services.AddSingleton<AlarmService>();
        builder.Services.AddSingleton<IIngestHandler, VerifyHandler>();
        builder.Services.AddSingleton<IIngestHandler, RateLimitHandler>();
        builder.Services.AddSingleton<IIngestHandler, StoreHandler>();
        builder.Services.AddSingleton<IIngestHandler, PresenceHandler>();
        builder.Services.AddSingleton<IIngestHandler, PositionHandler>();
        builder.Services.AddSingleton<IIngestHandler, DeviceReportHandler>();
        builder.Services.AddSingleton<IIngestHandler, SmartSeal.Cloud.Gate.GateDecisionHandler>();
        builder.Services.AddSingleton<IIngestHandler, AcknowledgeHandler>();
        builder.Services.AddSingleton<IIngestHandler, RefusalHandler>();
        builder.Services.AddSingleton<IIngestHandler, NotifyHandler>();
        builder.Services.AddSingleton<IngestService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestService>());
    }
}
