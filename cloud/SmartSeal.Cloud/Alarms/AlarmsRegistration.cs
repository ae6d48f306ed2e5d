using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Alarms.Webhooks;
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
        builder.Services.AddOptions<AlarmOptions>().BindConfiguration(AlarmOptions.Section)
            .Validate(o => o.Webhooks.All(w => Uri.TryCreate(w.Url, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)), "SmartSeal:Alarms:Webhooks: every Url must be an absolute http(s) URL")
            .Validate(o => o.Webhooks.Select((w, i) => WebhookOutbox.NameOf(w, i)).Distinct().Count() == o.Webhooks.Count, "SmartSeal:Alarms:Webhooks: names must be unique")
            .Validate(o => o.Delivery.MaxAttempts >= 1 && o.Delivery.Timeout > TimeSpan.Zero && o.RuleInterval > TimeSpan.Zero, "SmartSeal:Alarms: MaxAttempts, Timeout and RuleInterval must be positive")
            .ValidateOnStart();
        builder.Services.AddSingleton<WebhookOutbox>();
        builder.Services.AddObjectUnits<AlarmUnits>();
        builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigureHttpClient((services, client) => client.Timeout = services.GetRequiredService<IOptions<AlarmOptions>>().Value.Delivery.Timeout);
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
