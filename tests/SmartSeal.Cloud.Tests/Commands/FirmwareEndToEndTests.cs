using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Link;
using SmartSeal.Firmware.Lock;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Cloud.Tests.Commands;

/// <summary>
/// The real firmware (<see cref="LockController"/> with CloudLink, CommandInbox and the outbox,
/// composed by the simulators' host over MQTTnet) against the real cloud and its embedded broker.
/// </summary>
public class FirmwareEndToEndTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;

    public FirmwareEndToEndTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    [Fact]
    public async Task A_real_lock_applies_a_remote_disable_sent_while_it_was_offline_before_anything_else()
    {
        const string id = "lock-e2e-01";
        byte[] key = await _cloud.ProvisionAsync(id);
        var log = new SimLog();
        var device = new SimulatedLock(
            new DeviceProvisioning(id, key, 1, null),
            new DeviceHostOptions
            {
                Broker = new SmartSeal.Simulators.Host.BrokerEndpoint("127.0.0.1", _cloud.MqttPort),
                Clock = new HostClock(),
                Flash = new FakePersistentStore(4 * 1024 * 1024),
                Traffic = new TrafficCounters(),
                Log = log,
                LinkSettings = new CloudLinkSettings { DesiredStateWaitMs = 300, InitialBackoffMs = 200, MaxBackoffMs = 1000 },
            });
        using var loop = new DeviceLoop(device);

        // Online once (boot event stored), then it leaves (deep sleep: signed offline status, disconnect).
        // A dropped network would be the same for commands, but see cloud/README.md: the cloud does
        // not yet believe a last will minted at connect time.
        loop.Run(() => device.PowerOn("power-on"));
        await WaitUntilAsync(async () => (await Device(id)).Online && await CountAsync(id, "boot") == 1, "the lock came online and booted");
        Assert.True(device.State!.Enabled);
        loop.Run(() => device.Link.Disconnect("sleep"));
        await WaitUntilAsync(async () => !(await Device(id)).Online, "the cloud saw the lock go offline");
        long lastSeqBefore = await ScalarAsync<long>("SELECT MAX(seq) FROM device_messages WHERE device_id = @id", new { id });

        // While it is away: a command for it, then the keeper disables it.
        HttpClient admin = _cloud.AdminClient();
        CommandRecord locate = (await (await admin.PostAsJsonAsync($"/api/devices/{id}/commands", new { type = "locate" })).Content.ReadFromJsonAsync<CommandRecord>())!;
        HttpResponseMessage response = await admin.PostAsJsonAsync($"/api/devices/{id}/disable", new { reason = "seal reported lost" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        RemoteStateResponse disable = (await response.Content.ReadFromJsonAsync<RemoteStateResponse>())!;
        Assert.Equal(CommandStatus.Queued, locate.Status);
        Assert.Equal(CommandStatus.Queued, disable.Command!.Status);
        Assert.True(device.State!.Enabled, "nothing reached the lock while it was offline");

        // Back online: the lock applies the retained state first, then gets the queued commands.
        loop.Run(device.Link.Resume);
        DesiredStateRecord applied = (await _cloud.Service<DesiredStateService>().WaitForAppliedAsync(id, disable.DesiredState.Version, TimeSpan.FromSeconds(20)))!;
        Assert.True(applied.Acknowledged);
        Assert.Equal(LockMode.Disabled, device.State!.Mode);
        Assert.False(device.State.Enabled);

        CommandService commands = _cloud.Service<CommandService>();
        CommandRecord setState = (await commands.WaitForResultAsync(id, disable.Command.Id, TimeSpan.FromSeconds(20)))!;
        CommandRecord located = (await commands.WaitForResultAsync(id, locate.Id, TimeSpan.FromSeconds(20)))!;
        Assert.Equal(CommandStatus.Ok, setState.Status);
        Assert.Equal(CommandStatus.Refused, located.Status); // delivered and answered: the lock has no fix
        Assert.Equal("no-fix", located.ResultReason);

        // The first thing the lock recorded after reconnecting is the disabled state; results come after it.
        var after = (await QueryAsync<(long Seq, string Type, string Body)>(
            "SELECT seq, type, body FROM device_messages WHERE device_id = @id AND seq > @lastSeqBefore ORDER BY seq", new { id, lastSeqBefore })).ToList();
        Assert.Equal("state-applied", after[0].Type);
        Assert.Contains($"\"version\":{disable.DesiredState.Version}", after[0].Body);
        Assert.Contains("\"enabled\":false", after[0].Body);
        Assert.All(after.Where(m => m.Type == "cmd-result"), m => Assert.True(m.Seq > after[0].Seq));

        // And it refuses to unlock.
        loop.Run(device.PressButton);
        await WaitUntilAsync(async () => await CountAsync(id, "refused") == 1, "the press was refused and reported");
        Assert.Contains("\"reason\":\"disabled\"", await ScalarAsync<string>("SELECT body FROM device_messages WHERE device_id = @id AND type = 'refused'", new { id }));
        Assert.Equal(0, device.Bolt.UnlockCount);

        loop.Run(device.Shutdown);
        Assert.Equal(0, log.ErrorCount);
    }

    private Task<Device> Device(string id) => _cloud.Service<DeviceRepository>().FindAsync(id)!;

    private Task<long> CountAsync(string id, string type) => ScalarAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id = @id AND type = @type", new { id, type });

    private async Task<T> ScalarAsync<T>(string sql, object args)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    private async Task<IEnumerable<T>> QueryAsync<T>(string sql, object args)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return (await connection.QueryAsync<T>(sql, args)).AsList();
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Eventually.Async(condition, what);
}
