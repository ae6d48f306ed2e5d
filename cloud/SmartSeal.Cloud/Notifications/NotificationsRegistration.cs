using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.Notifications;

public static class NotificationsRegistration
{
    /// <summary>
    /// Notifications: <see cref="INotifications"/> (the inbox writer every module calls after commit),
    /// people's channel choices, the three work-notice channels and their dispatcher.
    /// </summary>
    public static void AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section)
            .Validate(o => o.Delivery.MaxAttempts >= 1 && o.Delivery.Timeout > TimeSpan.Zero && o.Delivery.PollInterval > TimeSpan.Zero, "SmartSeal:Notifications:Delivery: MaxAttempts, Timeout and PollInterval must be positive")
            .Validate(o => o.PortalUrl is null || Uri.TryCreate(o.PortalUrl, UriKind.Absolute, out _), "SmartSeal:Notifications:PortalUrl must be an absolute URL")
            .ValidateOnStart();
        builder.Services.AddSingleton<WorkNoticeChannel, DingTalkWorkNotice>();
        builder.Services.AddSingleton<WorkNoticeChannel, WeComAppMessage>();
        builder.Services.AddSingleton<WorkNoticeChannel, FeishuMessage>();
        builder.Services.AddSingleton<WorkNoticeChannels>();
        builder.Services.AddSingleton<NotificationSettingsStore>();
        builder.Services.AddSingleton<NotificationService>();
        builder.Services.AddSingleton<INotifications>(sp => sp.GetRequiredService<NotificationService>());
        builder.Services.AddHttpClient(NotificationDispatcher.HttpClientName)
            .ConfigureHttpClient((services, client) => client.Timeout = services.GetRequiredService<IOptions<NotificationOptions>>().Value.Delivery.Timeout);
        builder.Services.AddSingleton<NotificationDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
    }
}
