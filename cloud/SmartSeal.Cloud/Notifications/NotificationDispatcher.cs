using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Notifications;

/// <summary>
/// Sends the due work notices: each is claimed (its next attempt pushed past the timeout, so another
/// instance leaves it alone), sent on its channel, and marked delivered — or retried with doubling
/// delays up to <see cref="NoticeDeliveryOptions.MaxAttempts"/>, then marked failed and logged as an
/// error. At least once: a crash between sending and marking sends again after the claim lapses.
/// </summary>
public sealed class NotificationDispatcher(
    Database database, NotificationService notifications, WorkNoticeChannels channels, IHttpClientFactory httpClients,
    IOptionsMonitor<NotificationOptions> options, TimeProvider time, ILogger<NotificationDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "smartseal-work-notices";
    private const int BatchSize = 32;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent = 0;
            try
            {
                sent = await DispatchDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A stopped BackgroundService stops the host: log and go on.
                logger.LogError(e, "Work notice dispatch failed; trying again shortly");
            }

            if (sent == 0)
            {
                try
                {
                    await notifications.WaitAsync(options.CurrentValue.Delivery.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Sends every due delivery once; returns how many were attempted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        NotificationOptions settings = options.CurrentValue;
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var claimed = new List<DueNotice>();
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        {
            IEnumerable<DueNotice> due = await connection.QueryAsync<DueNotice>(
                """
                SELECT d.id AS Id, d.notice_id AS NoticeId, d.channel AS Channel, d.channel_user AS ChannelUser, d.language AS Language, d.title AS Title, d.body AS Body,
                       d.attempts AS Attempts, d.next_attempt_ms AS NextAttemptMs, n.link AS Link
                FROM notice_deliveries d JOIN notices n ON n.id = d.notice_id
                WHERE d.status = 'pending' AND d.next_attempt_ms <= @now ORDER BY d.next_attempt_ms LIMIT @limit
                """,
                new { now, limit = BatchSize });
            long lease = now + (long)(settings.Delivery.Timeout.TotalMilliseconds * 3) + 5_000;
            foreach (DueNotice row in due)
            {
                if (await connection.ExecuteAsync(
                        "UPDATE notice_deliveries SET next_attempt_ms = @lease WHERE id = @Id AND status = 'pending' AND next_attempt_ms = @NextAttemptMs",
                        new { lease, row.Id, row.NextAttemptMs }) == 1)
                {
                    claimed.Add(row);
                }
            }
        }

        await Task.WhenAll(claimed.Select(row => SendAsync(row, settings, cancellationToken)));
        return claimed.Count;
    }

    private async Task SendAsync(DueNotice row, NotificationOptions settings, CancellationToken cancellationToken)
    {
        int attempt = row.Attempts + 1;
        string? error;
        WorkNoticeChannel? channel = channels.Find(row.Channel);
        if (channel is null || !channel.Configured(settings))
        {
            error = $"channel {row.Channel} is no longer configured";
            attempt = settings.Delivery.MaxAttempts;
        }
        else
        {
            string? url = settings.PortalUrl is { Length: > 0 } portal && row.Link is { } link ? portal.TrimEnd('/') + link : null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.Delivery.Timeout);
            try
            {
                error = await channel.SendAsync(
                    httpClients.CreateClient(HttpClientName), settings, new WorkNotice(row.ChannelUser, row.Title, row.Body, url, NoticeText.OpenLabel(row.Language)), timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or WorkNoticeException)
            {
                error = e.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"no answer within {settings.Delivery.Timeout.TotalSeconds:0.#} s";
            }
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using DbConnection connection = await database.OpenAsync(CancellationToken.None);
        if (error is null)
        {
            await connection.ExecuteAsync(
                "UPDATE notice_deliveries SET status = 'delivered', attempts = @attempt, last_error = NULL, delivered_ms = @now WHERE id = @Id",
                new { attempt, now, row.Id });
            logger.LogInformation("Work notice {Delivery} delivered on {Channel} (attempt {Attempt})", row.Id, row.Channel, attempt);
        }
        else if (attempt >= settings.Delivery.MaxAttempts)
        {
            logger.LogError("Work notice {Delivery} on {Channel} to {User} gave up after {Attempt} attempts: {Error}", row.Id, row.Channel, row.ChannelUser, attempt, error);
            await connection.ExecuteAsync(
                "UPDATE notice_deliveries SET status = 'failed', attempts = @attempt, last_error = @error WHERE id = @Id", new { attempt, error, row.Id });
        }
        else
        {
            double delay = Math.Min(
                settings.Delivery.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)), settings.Delivery.MaxRetryDelay.TotalMilliseconds);
            await connection.ExecuteAsync(
                "UPDATE notice_deliveries SET attempts = @attempt, last_error = @error, next_attempt_ms = @next WHERE id = @Id",
                new { attempt, error, next = now + (long)delay, row.Id });
            logger.LogWarning("Work notice {Delivery} on {Channel} failed (attempt {Attempt}): {Error}; retrying", row.Id, row.Channel, attempt, error);
        }
    }

    private sealed record DueNotice
    {
        public long Id { get; init; }

        public long NoticeId { get; init; }

        public string Channel { get; init; } = string.Empty;

        public string ChannelUser { get; init; } = string.Empty;

        public string Language { get; init; } = NoticeText.Chinese;

        public string Title { get; init; } = string.Empty;

        public string Body { get; init; } = string.Empty;

        public int Attempts { get; init; }

        public long NextAttemptMs { get; init; }

        public string? Link { get; init; }
    }
}
