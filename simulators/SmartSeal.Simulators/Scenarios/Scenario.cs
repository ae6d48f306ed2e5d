using System.Text.Json;

namespace SmartSeal.Simulators.Scenarios;

/// <summary>A scenario file: one device and a timeline of steps (schema in simulators/README.md).</summary>
public sealed class Scenario
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public required string DeviceKind { get; init; }

    public required string DeviceId { get; init; }

    public int Compartments { get; init; } = 3;

    public JsonElement DeviceSettings { get; init; }

    public required IReadOnlyList<JsonElement> Steps { get; init; }

    /// <summary>Folder of the file, for relative paths (routes).</summary>
    public string BaseDirectory { get; init; } = ".";

    public static Scenario Load(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        JsonElement root = doc.RootElement.Clone();
        JsonElement device = root.GetProperty("device");
        return new Scenario
        {
            Name = root.TryGetProperty("name", out JsonElement n) ? n.GetString()! : Path.GetFileNameWithoutExtension(path),
            Description = root.TryGetProperty("description", out JsonElement d) ? d.GetString() : null,
            DeviceKind = device.GetProperty("kind").GetString()!,
            DeviceId = device.GetProperty("id").GetString()!,
            Compartments = device.TryGetProperty("compartments", out JsonElement c) ? c.GetInt32() : 3,
            DeviceSettings = device.TryGetProperty("settings", out JsonElement s) ? s : default,
            Steps = root.GetProperty("steps").EnumerateArray().ToArray(),
            BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".",
        };
    }
}

/// <summary>What one step did: its outcome, and for expectations what was not as expected.</summary>
public sealed record StepOutcome(int Index, string Step, bool Passed, string Detail, long ScenarioMs);

public sealed record ScenarioResult(string Name, IReadOnlyList<StepOutcome> Steps)
{
    public bool Passed => Steps.All(s => s.Passed);
}
