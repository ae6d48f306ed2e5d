using System.Text.Json;

namespace SmartSeal.Simulators.Cloud;

/// <summary>One event as the harness cloud received it (first delivery of its seq only).</summary>
public sealed record ReceivedEvent(long Seq, string Type, string BodyJson)
{
    /// <summary>True when every expected field equals the body's (numbers and booleans by their JSON text, strings by value).</summary>
    public bool Matches(IReadOnlyDictionary<string, JsonElement> fields)
    {
        using JsonDocument doc = JsonDocument.Parse(BodyJson);
        foreach (var (name, expected) in fields)
        {
            if (!doc.RootElement.TryGetProperty(name, out JsonElement actual))
            {
                return false;
            }

            bool same = expected.ValueKind == JsonValueKind.String
                ? actual.ValueKind == JsonValueKind.String && actual.GetString() == expected.GetString()
                : actual.GetRawText() == expected.GetRawText();
            if (!same)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>What the harness cloud knows about one device: events by seq, duplicates, alarms, desired state.</summary>
public sealed class CloudDeviceRecord
{
    public CloudDeviceRecord(string deviceId, byte[] key)
    {
        DeviceId = deviceId;
        Key = key;
    }

    public string DeviceId { get; }

    public byte[] Key { get; }

    /// <summary>Events in the order their seq was first seen (bodies kept only when the cloud records bodies).</summary>
    public List<ReceivedEvent> Events { get; } = new();

    public HashSet<long> Seqs { get; } = new();

    public long Duplicates { get; set; }

    public long Forged { get; set; }

    public long EventCount { get; set; }

    /// <summary>Distinct stamped events: the ledger's count for this device.</summary>
    public int Stamps { get; set; }

    public Dictionary<string, bool> Alarms { get; } = new(StringComparer.Ordinal);

    public bool? Online { get; set; }

    public string? LastBeforePhotoAttempt { get; set; }

    public long CommandCounter { get; set; }

    public long DesiredVersion { get; set; }

    public bool DesiredEnabled { get; set; } = true;

    public string? DesiredToken { get; set; }

    public List<long> PendingAcks { get; } = new();

    public int TokenCounter { get; set; }
}
