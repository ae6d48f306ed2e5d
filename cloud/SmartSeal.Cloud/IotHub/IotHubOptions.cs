namespace SmartSeal.Cloud.IotHub;

/// <summary>
/// Section <c>SmartSeal:IotHub</c>, used when <c>SmartSeal:Mqtt:Mode</c> is <c>IotHub</c>. The
/// values come from the Azure portal (or <c>az iot hub ...</c>): see cloud/README.md.
/// </summary>
public sealed class IotHubOptions
{
    public const string Section = "SmartSeal:IotHub";

    /// <summary>The hub's host name, e.g. <c>contoso-seals.azure-devices.net</c> (the SAS resource of service calls and devices' username prefix).</summary>
    public string? HostName { get; set; }

    /// <summary>Where the service REST API is reached; empty means <c>https://{HostName}</c>. Tests point it at a local fake.</summary>
    public string? ServiceEndpoint { get; set; }

    /// <summary>A shared access policy with "service connect" permission (the built-in <c>service</c> policy).</summary>
    public string ServicePolicyName { get; set; } = "service";

    /// <summary>That policy's primary key, base64 as the portal shows it.</summary>
    public string? ServicePolicyKey { get; set; }

    /// <summary>Lifetime of the service SAS tokens this instance mints (renewed before expiry).</summary>
    public int ServiceTokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>How long IoT Hub waits for a device's direct-method response (5..300 s).</summary>
    public int MethodResponseTimeoutSeconds { get; set; } = 30;

    /// <summary>The hub's Event Hubs-compatible endpoint connection string (Built-in endpoints blade), including <c>EntityPath</c>.</summary>
    public string? EventHubsConnectionString { get; set; }

    /// <summary>The consumer group this cloud reads device-to-cloud messages with (create one per deployment).</summary>
    public string ConsumerGroup { get; set; } = "$Default";
}
