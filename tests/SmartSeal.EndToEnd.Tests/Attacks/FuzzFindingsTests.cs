using System.Net;
using System.Net.Http.Json;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Infrastructure;

namespace SmartSeal.EndToEnd.Tests.Attacks;

/// <summary>Inputs the fuzzers found that once failed the server, kept as fixed cases.</summary>
public class FuzzFindingsTests : CloudTest<E2eCloudFactory>
{
    private readonly E2eCloudFactory _cloud;

    public FuzzFindingsTests(E2eCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    /// <summary>
    /// The caller's broker settings went into device.json after the device was registered; settings
    /// the provisioning file refuses (a lock with an empty APN, a cabinet with a mobile APN) answered
    /// 500 and left a registered device whose key nobody had seen.
    /// </summary>
    [Theory]
    [InlineData("lock", "{\"host\":\"127.0.0.1\",\"port\":1883,\"apn\":\"\"}")]
    [InlineData("lock", "{\"host\":\"127.0.0.1\",\"port\":0}")]
    [InlineData("cabinet", "{\"host\":\"127.0.0.1\",\"port\":1883,\"wifiSsid\":\"\"}")]
    [InlineData("gate", "{\"host\":\"\",\"port\":1883}")]
    public async Task Provisioning_with_broker_settings_no_device_json_can_hold_is_a_400_and_registers_nothing(string kind, string broker)
    {
        HttpClient admin = _cloud.AdminClient();
        string id = OrgWorld.Unique(kind == "cabinet" ? "cab" : kind);
        var body = new StringContent($"{{\"deviceId\":\"{id}\",\"kind\":\"{kind}\",\"compartments\":{(kind == "cabinet" ? 2 : 0)},\"broker\":{broker}}}", System.Text.Encoding.UTF8, "application/json");
        await OrgWorld.AssertProblemAsync(await admin.PostAsync("/api/devices", body), HttpStatusCode.BadRequest, "broker");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/devices/{id}")).StatusCode);

        // The same device with good settings registers, and rotating its key with bad ones is refused before the rotation.
        HttpResponseMessage created = await admin.PostAsJsonAsync("/api/devices", new { deviceId = id, kind, compartments = kind == "cabinet" ? 2 : 0, broker = new { host = "127.0.0.1", port = 1883 } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        HttpResponseMessage rotated = await admin.PostAsync($"/api/devices/{id}/rotate-key", new StringContent(broker, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, rotated.StatusCode);
        Assert.Equal(1, (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/devices/{id}")).GetProperty("keyVersion").GetInt32());
    }

    /// <summary>
    /// A device kind given as a number outside the enum (JSON allows enums as numbers) registered a
    /// device whose device.json could not be written: 500, and a registered device nobody had the key of.
    /// </summary>
    [Theory]
    [InlineData("7", true)]
    [InlineData("-1", false)]
    public async Task A_device_kind_that_is_not_cabinet_lock_or_gate_is_a_400_and_registers_nothing(string kind, bool withBroker)
    {
        HttpClient admin = _cloud.AdminClient();
        string id = OrgWorld.Unique("dev");
        string broker = withBroker ? ",\"broker\":{\"host\":\"127.0.0.1\",\"port\":1883}" : string.Empty;
        var body = new StringContent($"{{\"deviceId\":\"{id}\",\"kind\":{kind}{broker}}}", System.Text.Encoding.UTF8, "application/json");
        await OrgWorld.AssertProblemAsync(await admin.PostAsync("/api/devices", body), HttpStatusCode.BadRequest, "kind");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/devices/{id}")).StatusCode);
    }
}
