using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Alarms;

/// <summary>A webhook configuration that could never deliver stops the host at start, naming the setting.</summary>
public class AlarmConfigurationTests
{
    [Fact]
    public void A_webhook_without_an_absolute_http_url_is_refused_at_start()
    {
        using var cloud = new MisconfiguredCloud();
        Exception refused = Record.Exception(() => cloud.Server);
        OptionsValidationException validation = Assert.IsType<OptionsValidationException>(refused is AggregateException a ? a.InnerException : refused);
        Assert.Contains(validation.Failures, f => f.Contains("absolute http(s) URL", StringComparison.Ordinal));
    }

    private sealed class MisconfiguredCloud : CloudFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["SmartSeal:Alarms:Webhooks:0:Url"] = "file:///etc/passwd",
            ["SmartSeal:Alarms:Webhooks:0:Format"] = "Generic",
        };
    }
}
