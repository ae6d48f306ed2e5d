using SmartSeal.Cloud.Tests.Alarms;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real cloud host for mission scenarios: every alarm change goes to a local generic webhook
/// receiver (signed, fast retries), the platform rules and the checkout sweeper run only when a test
/// calls them, and a lock counts as offline too long after <see cref="LockOfflineAfter"/> — short, so
/// the rule can be seen firing inside a test.
/// </summary>
public class E2eCloudFactory : CloudFactory
{
    public const string WebhookPath = "/alarms";
    public const string WebhookSecret = "e2e-webhook-secret";
    public static readonly TimeSpan LockOfflineAfter = TimeSpan.FromSeconds(2);

    public E2eCloudFactory()
    {
    }

    /// <summary>A host on a given data directory and broker port: the same cloud started again after a stop or crash.</summary>
    protected E2eCloudFactory(string dataDirectory, int mqttPort)
        : base(mqttPort)
    {
        DataDirectory = dataDirectory;
    }

    public string? DataDirectory { get; }

    public WebhookReceiver Receiver { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            IDictionary<string, string?> settings = Settings();
            if (DataDirectory != null)
            {
                settings["SmartSeal:DataDirectory"] = DataDirectory;
            }

            return settings;
        }
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["SmartSeal:Alarms:RuleInterval"] = "01:00:00",
        ["SmartSeal:Alarms:Lock:OfflineAfter"] = LockOfflineAfter.ToString(),
        ["SmartSeal:Alarms:Delivery:FirstRetryDelay"] = "00:00:00.100",
        ["SmartSeal:Alarms:Delivery:PollInterval"] = "00:00:00.100",
        ["SmartSeal:Alarms:Delivery:Timeout"] = "00:00:05",
        ["SmartSeal:Alarms:Webhooks:0:Name"] = "e2e",
        ["SmartSeal:Alarms:Webhooks:0:Format"] = "Generic",
        ["SmartSeal:Alarms:Webhooks:0:Url"] = Receiver.Url(WebhookPath),
        ["SmartSeal:Alarms:Webhooks:0:Secret"] = WebhookSecret,
        ["SmartSeal:Checkouts:SweepInterval"] = "01:00:00",
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Receiver.Dispose();
    }
}
