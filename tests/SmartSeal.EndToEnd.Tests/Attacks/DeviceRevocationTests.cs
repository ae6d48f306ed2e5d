using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using MQTTnet;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Protocol.Security;
using Xunit.Abstractions;

namespace SmartSeal.EndToEnd.Tests.Attacks;

/// <summary>
/// A stolen or lost device key (issue 15 item 5): rotating it from the CLI — another process than
/// the running cloud — stops the old key at once and drops the session that uses it; retiring a
/// device from the API or the CLI drops its session and refuses it for good; each change is in the
/// ledger with who made it.
/// </summary>
public sealed class DeviceRevocationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _data = RestartableCloud.NewDataDirectory();
    private CloudProcess _cloud = null!;

    /// <summary>Bounds only a failure: the cloud polls the change feed every 250 ms.</summary>
    private static readonly TimeSpan DropWithin = TimeSpan.FromSeconds(15);

    public async Task InitializeAsync() => _cloud = await CloudProcess.StartAsync(_data, CloudFactory.FreePort(), CloudFactory.FreePort());

    public Task DisposeAsync()
    {
        _cloud.Dispose();
        RestartableCloud.DeleteDataDirectory(_data);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_key_rotated_from_the_cli_stops_at_once_and_its_open_session_is_dropped()
    {
        string id = await ProvisionAsync("revoke-rotated");
        await using Session old = await Session.ConnectAsync(_cloud.MqttPort, id, Sas(id, 1));

        var clock = Stopwatch.StartNew();
        (int exit, string text) = await _cloud.RunCliAsync("devices", "rotate-key", "--id", id, "--out", Path.Combine(_data, id + ".json"));
        Assert.True(exit == 0, text);
        long rotatedMs = clock.ElapsedMilliseconds;
        Assert.False(await Session.CanLogInAsync(_cloud.MqttPort, id, Sas(id, 1)), "the old key still logs in after the rotation");
        Assert.True(await old.Dropped.WaitAsync(DropWithin).ContinueWith(t => t.IsCompletedSuccessfully), "the old key's session stayed open");
        output.WriteLine($"CLI rotation done at {rotatedMs} ms; old session dropped {clock.ElapsedMilliseconds - rotatedMs} ms later");

        Assert.True(await Session.CanLogInAsync(_cloud.MqttPort, id, Sas(id, 2)), "the new key logs in");
        Assert.Equal([("admin", "cli:" + Environment.UserName, "key-rotated")], await AuditAsync(id));
    }

    [Fact]
    public async Task A_device_retired_from_the_api_or_the_cli_is_dropped_and_refused_for_good()
    {
        using HttpClient admin = _cloud.AdminClient();
        string viaApi = await ProvisionAsync("revoke-api");
        string viaCli = await ProvisionAsync("revoke-cli");
        await using Session apiSession = await Session.ConnectAsync(_cloud.MqttPort, viaApi, Sas(viaApi, 1));
        await using Session cliSession = await Session.ConnectAsync(_cloud.MqttPort, viaCli, Sas(viaCli, 1));

        HttpResponseMessage retired = await admin.PostAsync($"/api/devices/{viaApi}/retire", null);
        Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
        Assert.True((await retired.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retired").GetBoolean());
        Assert.False(await Session.CanLogInAsync(_cloud.MqttPort, viaApi, Sas(viaApi, 1)), "a retired device logs in");
        Assert.True(await apiSession.Dropped.WaitAsync(DropWithin).ContinueWith(t => t.IsCompletedSuccessfully), "the retired device's session stayed open");
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/devices/{viaApi}/retire", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/devices/revoke-nobody/retire", null)).StatusCode);

        (int exit, string text) = await _cloud.RunCliAsync("devices", "retire", "--id", viaCli);
        Assert.True(exit == 0, text);
        Assert.False(await Session.CanLogInAsync(_cloud.MqttPort, viaCli, Sas(viaCli, 1)), "a retired device logs in");
        Assert.True(await cliSession.Dropped.WaitAsync(DropWithin).ContinueWith(t => t.IsCompletedSuccessfully), "the retired device's session stayed open");
        Assert.Equal(2, (await _cloud.RunCliAsync("devices", "retire", "--id", viaCli)).ExitCode);
        Assert.Equal(3, (await _cloud.RunCliAsync("devices", "retire", "--id", "revoke-nobody")).ExitCode);

        Assert.Equal([("admin", "admin-api-key", "retired")], await AuditAsync(viaApi));
        Assert.Equal([("admin", "cli:" + Environment.UserName, "retired")], await AuditAsync(viaCli));
        Assert.Empty(_cloud.Errors);
    }

    [Fact]
    public async Task With_mosquitto_a_rotation_or_retirement_then_mosquitto_auth_with_reload_drops_the_sessions_and_refuses_the_old_login()
    {
        if (!TestServices.Available(PrivateMosquitto.IsInstalled, "mosquitto (scripts/setup.sh)", output))
        {
            return;
        }

        string rotated = await ProvisionAsync("revoke-mq-rotated");
        string retired = await ProvisionAsync("revoke-mq-retired");
        using PrivateMosquitto mosquitto = await PrivateMosquitto.StartAsync([rotated, retired], []);
        string pidFile = Path.Combine(mosquitto.Folder, "mosquitto.pid");
        await File.WriteAllTextAsync(pidFile, mosquitto.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using Session rotatedSession = await Session.ConnectAsync(mosquitto.Port, rotated, MosquittoPassword(rotated, 1));
        await using Session retiredSession = await Session.ConnectAsync(mosquitto.Port, retired, MosquittoPassword(retired, 1));

        Assert.Equal(0, (await _cloud.RunCliAsync("devices", "rotate-key", "--id", rotated, "--out", Path.Combine(_data, rotated + ".json"))).ExitCode);
        Assert.Equal(0, (await _cloud.RunCliAsync("devices", "retire", "--id", retired)).ExitCode);
        (int exit, string text) = await _cloud.RunCliAsync("devices", "mosquitto-auth", "--out-dir", mosquitto.Folder, "--reload-pid-file", pidFile);
        Assert.True(exit == 0, text);

        // Mosquitto 2.0 checks every open session against the reloaded password file and ends those that no longer match.
        Assert.True(await rotatedSession.Dropped.WaitAsync(DropWithin).ContinueWith(t => t.IsCompletedSuccessfully), "the rotated device's Mosquitto session stayed open");
        Assert.True(await retiredSession.Dropped.WaitAsync(DropWithin).ContinueWith(t => t.IsCompletedSuccessfully), "the retired device's Mosquitto session stayed open");
        Assert.False(await Session.CanLogInAsync(mosquitto.Port, rotated, MosquittoPassword(rotated, 1)), "the old key's password still logs in to Mosquitto");
        Assert.True(await Session.CanLogInAsync(mosquitto.Port, rotated, MosquittoPassword(rotated, 2)), "the new key's password logs in to Mosquitto");
        Assert.False(await Session.CanLogInAsync(mosquitto.Port, retired, MosquittoPassword(retired, 1)), "a retired device logs in to Mosquitto");
    }

    /// <summary>A per-connect password for the embedded broker, from the key of <paramref name="keyVersion"/>.</summary>
    private static string Sas(string deviceId, int keyVersion) =>
        BrokerPassword.Create(deviceId, Key(deviceId, keyVersion), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);

    /// <summary>The long-lived password Mosquitto's password file holds for the key of <paramref name="keyVersion"/>.</summary>
    private static string MosquittoPassword(string deviceId, int keyVersion) =>
        SmartSeal.Cloud.Mqtt.Mosquitto.MosquittoAuthFiles.DevicePassword(deviceId, Key(deviceId, keyVersion), PrivateMosquitto.FixedExpiry);

    private static byte[] Key(string deviceId, int keyVersion) => DeviceKeys.Derive(CloudFactory.MasterKey, deviceId, keyVersion);

    private async Task<string> ProvisionAsync(string id)
    {
        using HttpClient admin = _cloud.AdminClient();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/devices", new { deviceId = id, kind = "lock" })).StatusCode);
        return id;
    }

    /// <summary>The device chain's ledger entries: kind, actor, action.</summary>
    private async Task<List<(string Kind, string? Actor, string Action)>> AuditAsync(string deviceId)
    {
        using var database = _cloud.Database();
        await using DbConnection connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<(string Kind, string? Actor, string Payload)>(
            "SELECT kind, actor, payload FROM ledger_entries WHERE seal_id = @chain ORDER BY seq", new { chain = "device:" + deviceId });
        return rows.Select(r => (r.Kind, r.Actor, JsonDocument.Parse(r.Payload).RootElement.GetProperty("fields").GetProperty("action").GetString()!)).ToList();
    }

    /// <summary>A device's MQTT session with the key of one version, and a signal when the broker ends it.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
        private readonly TaskCompletionSource _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Dropped => _dropped.Task;

        public static async Task<Session> ConnectAsync(int port, string deviceId, string password)
        {
            var session = new Session();
            MqttClientConnectResult result = await session._client.ConnectAsync(Options(port, deviceId, password));
            Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
            session._client.DisconnectedAsync += _ =>
            {
                session._dropped.TrySetResult();
                return Task.CompletedTask;
            };
            return session;
        }

        public static async Task<bool> CanLogInAsync(int port, string deviceId, string password)
        {
            using IMqttClient client = new MqttClientFactory().CreateMqttClient();
            try
            {
                return (await client.ConnectAsync(Options(port, deviceId, password))).ResultCode == MqttClientConnectResultCode.Success;
            }
            catch (MQTTnet.Adapter.MqttConnectingFailedException)
            {
                return false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }

            _client.Dispose();
        }

        private static MqttClientOptions Options(int port, string deviceId, string password) =>
            new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(deviceId).WithCredentials(deviceId, password).WithTimeout(TimeSpan.FromSeconds(10)).Build();
    }
}
