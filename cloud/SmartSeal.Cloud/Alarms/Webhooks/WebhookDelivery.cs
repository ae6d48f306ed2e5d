namespace SmartSeal.Cloud.Alarms.Webhooks;

/// <summary>One row of the webhook outbox as the API shows it.</summary>
public sealed record WebhookDelivery
{
    public const string Columns = """
        id AS Id, alarm_id AS AlarmId, change_kind AS Change, webhook AS Webhook, format AS Format, status AS Status,
        attempts AS Attempts, next_attempt_ms AS NextAttemptMs, last_status AS LastStatus, last_error AS LastError,
        created_ms AS CreatedMs, delivered_ms AS DeliveredMs
        """;

    public long Id { get; init; }

    public long AlarmId { get; init; }

    public string Change { get; init; } = string.Empty;

    public string Webhook { get; init; } = string.Empty;

    public string Format { get; init; } = string.Empty;

    /// <summary>pending | delivered | failed.</summary>
    public string Status { get; init; } = string.Empty;

    public int Attempts { get; init; }

    public long NextAttemptMs { get; init; }

    public int? LastStatus { get; init; }

    public string? LastError { get; init; }

    public long CreatedMs { get; init; }

    public long? DeliveredMs { get; init; }
}
