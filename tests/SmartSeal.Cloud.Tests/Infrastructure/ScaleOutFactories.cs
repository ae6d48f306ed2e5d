namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>The real host on PostgreSQL (the database must exist; see <see cref="PostgresTestDatabase"/>), embedded broker.</summary>
public class PostgresCloudFactory(string connectionString) : CloudFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["SmartSeal:Database:Provider"] = "Postgres",
        ["SmartSeal:Database:ConnectionString"] = connectionString,
    };
}

/// <summary>
/// One cloud instance in scale-out mode: PostgreSQL shared with the other instances, and a client
/// of the external broker (Mosquitto) with its own broker account (= instance id).
/// </summary>
public sealed class ExternalCloudFactory(string instanceId, string postgres, string brokerHost, int brokerPort, string brokerPassword) : PostgresCloudFactory(postgres)
{
    public string InstanceId { get; } = instanceId;

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            IDictionary<string, string?> settings = base.ExtraSettings;
            settings["SmartSeal:Mqtt:Mode"] = "External";
            settings["SmartSeal:Mqtt:Host"] = brokerHost;
            settings["SmartSeal:Mqtt:Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["SmartSeal:Mqtt:InstanceId"] = InstanceId;
            settings["SmartSeal:Mqtt:Username"] = InstanceId;
            settings["SmartSeal:Mqtt:Password"] = brokerPassword;
            return settings;
        }
    }
}
