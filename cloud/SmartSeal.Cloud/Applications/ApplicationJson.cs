using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmartSeal.Cloud.Applications;

/// <summary>How application documents, location limits and approval states are stored as JSON.</summary>
public static class ApplicationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}
