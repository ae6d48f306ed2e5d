namespace SmartSeal.Cloud.Mqtt;

public sealed class MqttOptions
{
    public const string Section = "SmartSeal:Mqtt";

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

    /// <summary>Embedded: what the broker allows a client before it has logged in (cloud/README.md "Broker limits").</summary>
    public BrokerLimitOptions Limits { get; set; } = new();
}

public enum MqttMode
{
    Embedded,
    External,

    /// <summary>Devices talk to Azure IoT Hub; the cloud uses its service REST API and Event Hubs-compatible endpoint.</summary>
    IotHub,
}
