using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmartSeal.Cloud.Alarms.Webhooks;

/// <summary>
/// What a webhook says about an alarm change; stored as JSON in the outbox and rendered per
/// receiver format when sent (signatures and timestamps are made at send time).
/// </summary>
public sealed record AlarmNotification(
    long DeliveryId,
    string Change,
    long AlarmId,
    string DeviceId,
    string Type,
    string Severity,
    int Compartment,
    int Occurrences,
    string? Detail,
    long AtMs,
    string? By,
    string? Comment)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static AlarmNotification Of(AlarmChange change) => new(
        0,
        ChangeName(change.Kind),
        change.Id,
        change.DeviceId,
        change.Type,
        change.Severity.ToString().ToLowerInvariant(),
        change.Compartment,
        change.Occurrences,
        change.Detail,
        change.AtMs,
        change.By,
        change.Comment);

    public static string ChangeName(AlarmChangeKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>One line for people: "[CRITICAL] tamper raised on lock-0001".</summary>
    public string Headline => $"[{Severity.ToUpperInvariant()}] {Type} {Change} on {DeviceId}" + (Compartment > 0 ? $" (compartment {Compartment})" : string.Empty);

    /// <summary>The facts under the headline, one per line.</summary>
    public IEnumerable<(string Label, string Value)> Facts()
    {
        if (Detail is { Length: > 0 })
        {
            yield return ("Detail", Detail);
        }

        if (Occurrences > 1)
        {
            yield return ("Occurrences", Occurrences.ToString(CultureInfo.InvariantCulture));
        }

        if (By is { Length: > 0 })
        {
            yield return ("By", By);
        }

        if (Comment is { Length: > 0 })
        {
            yield return ("Comment", Comment);
        }

        yield return ("Time", DateTimeOffset.FromUnixTimeMilliseconds(AtMs).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        // "SmartSeal" in every message: DingTalk robots secured by "custom keywords" need a fixed word.
        yield return ("Alarm", "SmartSeal #" + AlarmId.ToString(CultureInfo.InvariantCulture));
    }
}
