using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.Alarms.Webhooks;

/// <summary>
/// Queues one delivery per interested subscription in the transaction that changed the alarm
/// (<c>alarm_deliveries</c>), then nudges the <see cref="WebhookDispatcher"/>. Nothing here talks to
/// the network, so a slow or dead receiver can never hold up ingest.
/// </summary>
public sealed class WebhookOutbox(IOptionsMonitor<AlarmOptions> options)
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public async Task EnqueueAsync(AlarmChange change, DbConnection connection, DbTransaction? transaction)
    {
        List<WebhookSubscription> subscriptions = options.CurrentValue.Webhooks;
        if (subscriptions.Count == 0 || change.Kind == AlarmChangeKind.Repeated)
        {
            return;
        }

        string payload = JsonSerializer.Serialize(AlarmNotification.Of(change), AlarmNotification.Json);
        for (int i = 0; i < subscriptions.Count; i++)
        {
            WebhookSubscription subscription = subscriptions[i];
            if (!subscription.Wants(change))
            {
                continue;
            }

            await connection.ExecuteAsync(
                """
                INSERT INTO alarm_deliveries (alarm_id, change_kind, webhook, format, payload, status, attempts, next_attempt_ms, created_ms)
                VALUES (@AlarmId, @Change, @Webhook, @Format, @Payload, 'pending', 0, @Now, @Now)
                """,
                new { AlarmId = change.Id, Change = AlarmNotification.ChangeName(change.Kind), Webhook = NameOf(subscription, i), Format = FormatName(subscription.Format), Payload = payload, Now = change.AtMs },
                transaction);
        }

        Wake();
    }

    /// <summary>The subscription's configured name, or a stable one from its position.</summary>
    public static string NameOf(WebhookSubscription subscription, int index) =>
        subscription.Name is { Length: > 0 } name ? name : $"webhook-{index}";

    public static string FormatName(WebhookFormat format) => format switch
    {
        WebhookFormat.DingTalk => "dingtalk",
        WebhookFormat.WeCom => "wecom",
        WebhookFormat.Feishu => "feishu",
        _ => "generic",
    };

    /// <summary>Tells the dispatcher there may be work (it also polls, for rows written by other instances).</summary>
    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _signal.WaitAsync(timeout, cancellationToken);
}
