using System.Text.Json;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Notifications;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.LiveFeed;

/// <summary>
/// Feeds the live feed from the rest of the host: alarm changes (<c>alarm</c>) and newly stored
/// device records (<c>device-event</c>), notices to one person (<c>notice</c>); presence changes come from <see cref="PresenceFeedHandler"/>.
/// </summary>
public sealed class LiveFeedSources(LiveFeedHub hub, AlarmService alarms, DeviceEventFeed deviceEvents, NotificationService notifications) : IHostedService
{
    /// <summary>Bodies larger than this (photo chunks) are announced without their content.</summary>
    private const int MaxBodyBytes = 4096;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        alarms.Changed += OnAlarm;
        deviceEvents.Stored += OnDeviceEvent;
        notifications.Added += OnNotice;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        alarms.Changed -= OnAlarm;
        deviceEvents.Stored -= OnDeviceEvent;
        notifications.Added -= OnNotice;
        return Task.CompletedTask;
    }

    private void OnAlarm(AlarmChange change) => hub.Publish("alarm", change.DeviceId, change);

    /// <summary>A notice for one person (event <c>notice</c>, key <c>user:{login}</c>: only they see it).</summary>
    private void OnNotice(NoticeAdded notice) => hub.Publish("notice", "user:" + notice.Recipient, notice);

    private void OnDeviceEvent(DeviceEvent deviceEvent)
    {
        byte[] body = MessageCodec.EncodeBody(deviceEvent.Body);
        JsonElement? content = body.Length <= MaxBodyBytes ? JsonDocument.Parse(body).RootElement.Clone() : null;
        hub.Publish("device-event", deviceEvent.DeviceId, new
        {
            deviceEvent.DeviceId,
            deviceEvent.Seq,
            deviceEvent.Type,
            deviceEvent.DeviceMs,
            deviceEvent.ServerMs,
            Body = content,
            BodyOmitted = content is null ? true : (bool?)null,
        });
    }
}
