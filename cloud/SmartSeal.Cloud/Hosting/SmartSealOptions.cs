using SmartSeal.Cloud.Alarms;

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
    public string DataDirectory { get; set; } = "data";

    public DatabaseOptions Database { get; set; } = new();

    public MqttOptions Mqtt { get; set; } = new();

    public AlarmOptions Alarms { get; set; } = new();

    public CommandOptions Commands { get; set; } = new();

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

public sealed class LedgerOptions
{
    /// <summary>PEM (PKCS#8) of the ECDSA P-256 key that signs checkpoints; empty: generated into the data directory.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>How often a checkpoint is made when the ledger grew.</summary>
    public int CheckpointMinutes { get; set; } = 60;

    /// <summary>
    /// PEM with the certificate and private key of the cloud's own time-stamping authority (RFC 3161),
    /// a key apart from the ledger signing key. Required in Production; elsewhere generated into the
    /// data directory (<c>ledger-tsa.pem</c>) when empty.
    /// </summary>
    public string? TimeStampKeyPath { get; set; }

    /// <summary>
    /// The append-only witness: a directory outside the database (another disk, a mounted
    /// write-once share) that receives every checkpoint with its timestamp under a name that is
    /// never overwritten. Empty: <c>{DataDirectory}/ledger-witness</c>.
    /// </summary>
    public string? WitnessDirectory { get; set; }

    /// <summary>How long entries and their photos are kept (years, at least 5: the host refuses to start below); deletion before that is refused, and the verifier would see it.</summary>
    public int RetentionYears { get; set; } = 5;
}

public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Empty for SQLite means <c>{DataDirectory}/smartseal.db</c>.</summary>
    public string? ConnectionString { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class MqttOptions
{
    /// <summary><c>Embedded</c> (MQTTnet broker in this process, default) or <c>External</c> (connect to an MQTT 5 broker).</summary>
    public MqttMode Mode { get; set; } = MqttMode.Embedded;

    /// <summary>Embedded: the TCP port devices connect to. External: the broker's port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Embedded: the address to listen on. External: the broker's host name.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Embedded: a TLS port (0 = off) with <see cref="CertificatePath"/> (PFX) and <see cref="CertificatePassword"/>.</summary>
    public int TlsPort { get; set; }

    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Embedded: also accept MQTT over WebSocket at <c>/mqtt</c> on the HTTP port.</summary>
    public bool WebSocket { get; set; }

    /// <summary>The longest broker password lifetime a device may mint (seconds).</summary>
    public long MaxPasswordLifetimeSeconds { get; set; } = 24 * 3600;

    /// <summary>External: this instance's client id (unique per instance); the group shares the device traffic.</summary>
    public string InstanceId { get; set; } = "cloud-" + Environment.MachineName.ToLowerInvariant();

    /// <summary>External: the cloud's login at the broker (Mosquitto: an account with read on <c>smartseal/v1/+/evt|tele|status|res|photo</c> and write on <c>cmd|desired|ack</c>).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// External: how long the broker keeps this instance's session after it disconnects. 0 (the
    /// default, clean start): the broker forgets the instance at once and the other members of the
    /// share group get all the traffic; devices resend whatever was not acknowledged. Above 0 the
    /// broker queues the instance's share while it is away (useful for one instance that restarts,
    /// harmful with several: that share waits for its return or for the devices' resend).
    /// </summary>
    public uint SessionExpirySeconds { get; set; }

    /// <summary>External: TLS to the broker.</summary>
    public bool UseTls { get; set; }

    /// <summary>
    /// External (Mosquitto): the fixed expiry (Unix seconds) of the long-lived device passwords that
    /// <c>smartseal-cloud devices mosquitto-auth</c> hashes into Mosquitto's password file; devices
    /// send exactly this password (firmware <c>FixedPasswordExpiryUnixSeconds</c>). Changing it
    /// changes every device's Mosquitto password. Default: 2100-01-01T00:00:00Z.
    /// </summary>
    public long FixedDevicePasswordExpiry { get; set; } = 4_102_444_800;

    /// <summary>Per device: messages per second beyond which the device is throttled and alarmed.</summary>
    public int MaxMessagesPerSecondPerDevice { get; set; } = 200;

    /// <summary>Embedded: what the broker allows a client before it has logged in (cloud/README.md "Broker limits").</summary>
    public BrokerLimitOptions Limits { get; set; } = new();
}

/// <summary>
/// The embedded broker's limits, enforced on the socket before MQTTnet reads a packet, so an
/// anonymous client cannot make the cloud allocate or wait for it.
/// </summary>
public sealed class BrokerLimitOptions
{
    /// <summary>The largest CONNECT (remaining length, bytes): id, username, SAS password and the status last will fit in well under this.</summary>
    public int MaxConnectPacketBytes { get; set; } = 4096;

    /// <summary>The largest packet after login: a 16 KB envelope (a photo chunk of 8 KB, base64) plus topic and properties.</summary>
    public int MaxPacketBytes { get; set; } = 32 * 1024;

    /// <summary>Seconds a new connection has to deliver its whole CONNECT (TLS handshake included).</summary>
    public int ConnectTimeoutSeconds { get; set; } = 10;

    /// <summary>Connections that have not yet delivered their CONNECT, over all addresses; more are closed at once.</summary>
    public int MaxPendingConnections { get; set; } = 1000;

    /// <summary>
    /// New connections one remote address may open at once (the bucket's size): below
    /// <see cref="MaxPendingConnections"/>, so one address cannot hold every pending slot.
    /// </summary>
    public int ConnectionBurstPerAddress { get; set; } = 200;

    /// <summary>New connections per second one remote address gets back (the bucket's refill).</summary>
    public int ConnectionsPerSecondPerAddress { get; set; } = 50;
}

public enum MqttMode
{
    Embedded,
    External,

    /// <summary>Devices talk to Azure IoT Hub; the cloud uses its service REST API and Event Hubs-compatible endpoint.</summary>
    IotHub,
}

/// <summary>Commands to devices and their queue for offline devices (cloud/README.md "Commands and desired state").</summary>
public sealed class CommandOptions
{
    /// <summary>How long a command may wait for its device when the caller names no TTL (seconds; at most 24 h).</summary>
    public int DefaultTtlSeconds { get; set; } = 3600;

    /// <summary>How often commands past their expiry are marked expired (seconds).</summary>
    public int SweepIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// How long after its expiry a sent command may still get its result before it counts as
    /// expired (seconds): the device accepts until expiry plus its clock skew, and an answer may
    /// sit on its flash for a while.
    /// </summary>
    public int ResultGraceSeconds { get; set; } = 30;
}
