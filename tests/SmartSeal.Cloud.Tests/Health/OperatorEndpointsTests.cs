using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Health;

/// <summary>
/// Issue 15, item 7: the anonymous probes say healthy or not and nothing an attacker could use
/// (before: <c>/health/ready</c> showed the database file's path and the schema version), and
/// <c>/metrics</c> is for sysadmins (the scraper's admin API key) only.
/// </summary>
public class OperatorEndpointsTests(CloudFactory cloud) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    [Fact]
    public async Task The_health_probes_answer_anonymously_with_statuses_only()
    {
        HttpClient anonymous = _cloud.CreateClient();
        string live = await anonymous.GetStringAsync("/health/live");
        Assert.Equal("Healthy", live);

        HttpResponseMessage response = await anonymous.GetAsync("/health/ready");
        string ready = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement report = JsonDocument.Parse(ready).RootElement;
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal(["broker", "database"], report.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order());
        Assert.All(report.GetProperty("checks").EnumerateObject(), c => Assert.Equal(["status"], c.Value.EnumerateObject().Select(p => p.Name)));
        foreach (string secret in new[] { "smartseal.db", "Data Source", "/tmp", Path.GetTempPath(), "schema", "V0", "127.0.0.1", _cloud.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            Assert.DoesNotContain(secret, ready, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Metrics_are_for_sysadmins_only()
    {
        var org = new OrgWorld(_cloud);
        SealOffice office = await SealOffice.CreateAsync(org);
        string auditor = await org.UserAsync(OrgWorld.Unique("auditor"), office.Province, "auditor");

        Assert.Equal(HttpStatusCode.Unauthorized, (await _cloud.CreateClient().GetAsync("/metrics")).StatusCode);
        HttpClient wrongKey = _cloud.CreateClient();
        wrongKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-admin-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.KeeperClient.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await org.SignInAsync(auditor)).GetAsync("/metrics")).StatusCode);

        // Something for the scrape to show, whatever ran before: a broker login with no valid key.
        await Assert.ThrowsAsync<MqttLoginRefusedException>(() => DeviceClient.ConnectAsync(_cloud.MqttPort, OrgWorld.Unique("no-such-device"), new byte[32]));
        string metrics = await _cloud.AdminClient().GetStringAsync("/metrics");
        Assert.Contains("smartseal_broker_connections_refused", metrics, StringComparison.Ordinal);
    }
}
