using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Alarms.Webhooks;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Organisation.Authorization;

namespace SmartSeal.Cloud.Alarms;

public static class AlarmsRegistration
{
    /// <summary>
    /// The alarm engine around <see cref="AlarmService"/>: platform rules, the webhook outbox and its
    /// dispatcher (HttpClient from the factory, with the configured timeout).
    /// </summary>
    public static void AddAlarms(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmartSealOptions>()
            .Validate(o => o.Alarms.Webhooks.All(w => Uri.TryCreate(w.Url, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)), "SmartSeal:Alarms:Webhooks: every Url must be an absolute http(s) URL")
            .Validate(o => o.Alarms.Webhooks.Select((w, i) => WebhookOutbox.NameOf(w, i)).Distinct().Count() == o.Alarms.Webhooks.Count, "SmartSeal:Alarms:Webhooks: names must be unique")
            .Validate(o => o.Alarms.Delivery.MaxAttempts >= 1 && o.Alarms.Delivery.Timeout > TimeSpan.Zero && o.Alarms.RuleInterval > TimeSpan.Zero && o.Alarms.LiveFeed.RingSize >= 1, "SmartSeal:Alarms: MaxAttempts, Timeout, RuleInterval and LiveFeed:RingSize must be positive")
            .ValidateOnStart();
        builder.Services.AddSingleton<WebhookOutbox>();
        builder.Services.AddObjectUnits<AlarmUnits>();
        builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigureHttpClient((services, client) => client.Timeout = services.GetRequiredService<IOptions<SmartSealOptions>>().Value.Alarms.Delivery.Timeout);
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.Services.AddSingleton<AlarmRules>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AlarmRules>());
    }

    public static void MapAlarmsApi(this WebApplication app)
    {
        AlarmsApi.MapAlarmsApi(app);
    }
}
