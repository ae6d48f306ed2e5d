namespace SmartSeal.Cloud.Security;

/// <summary>
/// The platform's keys under the root section <c>SmartSeal</c> (appsettings.json, environment
/// <c>SmartSeal__...</c>). Each module binds its own section (<c>SmartSeal:Alarms</c>,
/// <c>SmartSeal:Photos</c>, ...) to its own options class; the defaults run everything in one
/// process with no external service: embedded broker, SQLite and photos on disk under
/// <see cref="DataDirectory"/>.
/// </summary>
public sealed class SmartSealOptions
{
    public const string Section = "SmartSeal";

    /// <summary>
    /// The master key (64 hex characters) every device key is derived from. Required outside
    /// Development; in Development a key is generated once into the data directory.
    /// </summary>
    public string? MasterKey { get; set; }

    /// <summary>The administrator API key for service accounts (required outside Development).</summary>
    public string? AdminApiKey { get; set; }

    /// <summary>Where SQLite, photos and the development master key live (relative to the content root).</summary>
    public string DataDirectory { get; set; } = Storage.DataDirectory.DefaultPath;
}
