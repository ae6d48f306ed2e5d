using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Alarms.Webhooks;

/// <summary>
/// Sends what the outbox holds: due deliveries are claimed (their next attempt moved past the
/// request timeout, so another instance leaves them alone), rendered and signed for their
/// receiver's format, sent, and marked delivered — or retried with exponential backoff until
/// <see cref="WebhookDeliveryOptions.MaxAttempts"/>, then marked failed. A crash between sending and
/// marking sends again after the claim lapses (at least once; <c>X-SmartSeal-Delivery</c> lets a
/// receiver drop the repeat).
/// </summary>
public sealed class WebhookDispatcher(
    Database database,
    WebhookOutbox outbox,
    IHttpClientFactory httpClients,
    IOptionsMonitor<AlarmOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "smartseal-webhooks";
    private const int BatchSize = 32;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        OutboxLoop.RunAsync(DispatchDueAsync, ct => outbox.WaitAsync(options.CurrentValue.Delivery.PollInterval, ct), logger, "Webhook", stoppingToken);

    /// <summary>Sends every due delivery once; returns how many were attempted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        WebhookDeliveryOptions delivery = options.CurrentValue.Delivery;
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        List<DueDelivery> claimed = [];
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        {
            var due = await connection.QueryAsync<DueDelivery>(
                """
                SELECT id AS Id, webhook AS Webhook, payload AS Payload, attempts AS Attempts, next_attempt_ms AS NextAttemptMs
                FROM alarm_deliveries WHERE status = 'pending' AND next_attempt_ms <= @now
                ORDER BY next_attempt_ms LIMIT @limit
                """,
                new { now, limit = BatchSize });
            long lease = now + (long)(delivery.Timeout.TotalMilliseconds * 2) + 5_000;
            foreach (DueDelivery row in due)
            {
                int won = await connection.ExecuteAsync(
                    "UPDATE alarm_deliveries SET next_attempt_ms = @lease WHERE id = @Id AND status = 'pending' AND next_attempt_ms = @NextAttemptMs",
                    new { lease, row.Id, row.NextAttemptMs });
                if (won == 1)
                {
                    claimed.Add(row);
                }
            }
        }

        await Task.WhenAll(claimed.Select(row => SendAsync(row, delivery, cancellationToken)));
        return claimed.Count;
    }

    private async Task SendAsync(DueDelivery row, WebhookDeliveryOptions delivery, CancellationToken cancellationToken)
    {
        int attempt = row.Attempts + 1;
        (WebhookSubscription? subscription, int index) = Find(row.Webhook);
        int? status = null;
        string? error;
        if (subscription is null)
        {
            error = "subscription no longer configured";
            attempt = delivery.MaxAttempts;
        }
        else
        {
            IWebhookFormat format = IWebhookFormat.For(subscription.Format);
            try
            {
                AlarmNotification notification = JsonSerializer.Deserialize<AlarmNotification>(row.Payload, AlarmNotification.Json)! with { DeliveryId = row.Id };
                using HttpRequestMessage request = format.CreateRequest(subscription, notification, time.GetUtcNow());
                using HttpResponseMessage response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
                status = (int)response.StatusCode;
                string body = await response.Content.ReadAsStringAsync(cancellationToken);
                error = format.Refusal(response, body);
            }
            catch (HttpRequestException e)
            {
                error = e.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"no answer within {delivery.Timeout.TotalSeconds:0.#} s";
            }
            catch (Exception e) when (e is JsonException or UriFormatException or InvalidOperationException or NotSupportedException)
            {
                // A payload or URL that can never be sent: failing it now beats retrying it for an hour.
                error = e.GetType().Name + ": " + e.Message;
                attempt = delivery.MaxAttempts;
            }
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await database.OpenAsync(CancellationToken.None);
        if (error is null)
        {
            await connection.ExecuteAsync(
                "UPDATE alarm_deliveries SET status = 'delivered', attempts = @attempt, last_status = @status, last_error = NULL, delivered_ms = @now WHERE id = @Id",
                new { attempt, status, now, row.Id });
            logger.LogInformation("Alarm notification {Delivery} delivered to {Webhook} (attempt {Attempt})", row.Id, row.Webhook, attempt);
            return;
        }

        if (attempt >= delivery.MaxAttempts)
        {
            // Logged before it is marked, so whoever sees "failed" also finds the log entry.
            logger.LogError("Alarm notification {Delivery} to {Webhook} ({Index}) gave up after {Attempt} attempts: {Error}", row.Id, row.Webhook, index, attempt, error);
            await connection.ExecuteAsync(
                "UPDATE alarm_deliveries SET status = 'failed', attempts = @attempt, last_status = @status, last_error = @error WHERE id = @Id",
                new { attempt, status, error, row.Id });
            return;
        }

        long next = now + (long)RetryDelay(delivery, attempt).TotalMilliseconds;
        await connection.ExecuteAsync(
            "UPDATE alarm_deliveries SET attempts = @attempt, last_status = @status, last_error = @error, next_attempt_ms = @next WHERE id = @Id",
            new { attempt, status, error, next, row.Id });
        logger.LogWarning("Alarm notification {Delivery} to {Webhook} failed (attempt {Attempt}): {Error}; retrying", row.Id, row.Webhook, attempt, error);
    }

    /// <summary>First delay after attempt 1, doubling after each further failure, capped.</summary>
    public static TimeSpan RetryDelay(WebhookDeliveryOptions delivery, int failedAttempts)
    {
        double ms = delivery.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, delivery.MaxRetryDelay.TotalMilliseconds));
    }

    private (WebhookSubscription?, int) Find(string name)
    {
        List<WebhookSubscription> subscriptions = options.CurrentValue.Webhooks;
        for (int i = 0; i < subscriptions.Count; i++)
        {
            if (WebhookOutbox.NameOf(subscriptions[i], i) == name)
            {
                return (subscriptions[i], i);
            }
        }

        return (null, -1);
    }

    private sealed record DueDelivery
    {
        public long Id { get; init; }

        public string Webhook { get; init; } = string.Empty;

        public string Payload { get; init; } = string.Empty;

        public int Attempts { get; init; }

        public long NextAttemptMs { get; init; }
    }
}
