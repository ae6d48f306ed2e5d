using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Mqtt;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Hosting;

/// <summary>
/// Configuration section <c>SmartSeal</c> (appsettings.json, environment <c>SmartSeal__...</c>).
/// The defaults run everything in one process with no external service: embedded broker, SQLite
/// and photos on disk under <see cref="DataDirectory"/>.
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

    public DatabaseOptions Database { get; set; } = new();

    public MqttOptions Mqtt { get; set; } = new();

    public AlarmOptions Alarms { get; set; } = new();

    public SmartSeal.Cloud.Photos.PhotoOptions Photos { get; set; } = new();

    public LedgerOptions Ledger { get; set; } = new();

    /// <summary>Used when <c>Mqtt:Mode</c> is <c>IotHub</c> (cloud/README.md, "Azure IoT Hub profile").</summary>
    public IotHub.IotHubOptions IotHub { get; set; } = new();

    public Organisation.OrganisationOptions Organisation { get; set; } = new();

    /// <summary>Face enrolment and gate template sync (Gate/).</summary>
    public Gate.FaceOptions Faces { get; set; } = new();
    public Documents.DocumentOptions Documents { get; set; } = new();
    public Reports.ReportsOptions Reports { get; set; } = new();
    public Portal.PortalOptions Portal { get; set; } = new();
}
