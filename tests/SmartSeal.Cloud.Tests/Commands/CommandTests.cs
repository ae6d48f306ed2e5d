using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Commands;

/// <summary>Commands over real MQTT, with <see cref="DeviceClient"/> acting as the device.</summary>
public class CommandTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;

    public CommandTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    private CommandService Commands => _cloud.Service<CommandService>();

    [Fact]
    public async Task A_command_reaches_an_online_device_with_a_valid_mac_and_an_increasing_counter_and_its_result_settles_it()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-cmd-01");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-cmd-01", key);
        await device.GoOnlineAsync(_cloud);

        CommandRecord locate = (await Commands.SendAsync("lock-cmd-01", new LocateBody(), "tester")).Command!;
        CommandRecord revoke = (await Commands.SendAsync("lock-cmd-01", new RevokeTokenBody { TokenIds = ["tok-9"] }, "tester", TimeSpan.FromMinutes(5))).Command!;
        Assert.Equal(CommandStatus.Sent, locate.Status);
        Assert.True(revoke.Counter > locate.Counter);

        List<CloudMessage> received = await device.WaitForCloudMessagesAsync(TopicKind.Commands, 2);
        Assert.Equal([locate.Id, revoke.Id], received.Select(m => m.Envelope.Id));
        Assert.Equal([locate.Counter, revoke.Counter], received.Select(m => m.Envelope.Seq));
        Assert.All(DeviceSide.JudgeLikeTheDevice(received), verdict => Assert.Equal(ProtocolError.None, verdict));
        Assert.Equal(revoke.IssuedMs + (5 * 60 * 1000), received[1].Envelope.Expires);
        Assert.Equal(["tok-9"], ((RevokeTokenBody)received[1].Body).TokenIds);

        // Replaying what the device got is refused by the firmware's guard: the counter is spent.
        Assert.Equal(ProtocolError.CommandReplayed, DeviceSide.JudgeLikeTheDevice([received[0], received[1], received[0]])[2]);

        await device.AnswerAsync(locate.Id, ok: false, RefusalReason.NoFix, "no fix yet");
        await device.AnswerAsync(revoke.Id, ok: true);
        CommandRecord? settledLocate = await Commands.WaitForResultAsync("lock-cmd-01", locate.Id, TimeSpan.FromSeconds(10));
        CommandRecord? settledRevoke = await Commands.WaitForResultAsync("lock-cmd-01", revoke.Id, TimeSpan.FromSeconds(10));
        Assert.Equal(CommandStatus.Refused, settledLocate!.Status);
        Assert.Equal("no-fix", settledLocate.ResultReason);
        Assert.Equal("no fix yet", settledLocate.ResultDetail);
        Assert.Equal(CommandStatus.Ok, settledRevoke!.Status);
        Assert.NotNull(settledRevoke.CompletedMs);
    }

    [Fact]
    public async Task A_device_cannot_settle_another_devices_command()
    {
        byte[] keyA = await _cloud.ProvisionAsync("lock-cmd-own-a");
        byte[] keyB = await _cloud.ProvisionAsync("lock-cmd-own-b");
        await using DeviceClient a = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-cmd-own-a", keyA);
        await using DeviceClient b = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-cmd-own-b", keyB);
        await a.GoOnlineAsync(_cloud);
        CommandRecord command = (await Commands.SendAsync("lock-cmd-own-a", new LocateBody(), "tester")).Command!;

        await b.AnswerAsync(command.Id, ok: true);
        await b.WaitForAckAsync(1);
        Assert.Equal(CommandStatus.Sent, (await Commands.FindAsync("lock-cmd-own-a", command.Id))!.Status);
    }

    [Fact]
    public async Task A_command_for_an_offline_device_is_queued_and_delivered_in_counter_order_when_it_comes_online()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-cmd-02");
        CommandRecord first = (await Commands.SendAsync("lock-cmd-02", new LocateBody(), "tester")).Command!;
        CommandRecord second = (await Commands.SendAsync("lock-cmd-02", new RevokeTokenBody { TokenIds = ["tok-1"] }, "tester")).Command!;
        Assert.Equal(CommandStatus.Queued, first.Status);
        Assert.Equal(CommandStatus.Queued, second.Status);

        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-cmd-02", key);
        await Task.Delay(300); // absence window: nothing should follow the connection, so there is no signal to await
        Assert.Empty(device.CloudMessages(TopicKind.Commands)); // connected is not online: the device says when it is ready

        await device.ReportOnlineAsync();
        List<CloudMessage> received = await device.WaitForCloudMessagesAsync(TopicKind.Commands, 2);
        Assert.Equal([first.Id, second.Id], received.Select(m => m.Envelope.Id));
        Assert.All(DeviceSide.JudgeLikeTheDevice(received), verdict => Assert.Equal(ProtocolError.None, verdict));
        Assert.Equal(first.ExpiresMs, received[0].Envelope.Expires); // sent exactly as signed when requested
        Assert.Equal(CommandStatus.Sent, (await Commands.FindAsync("lock-cmd-02", first.Id))!.Status);

        // Coming online again does not send them twice.
        long processed = _cloud.Service<IngestService>().Processed;
        await device.ReportOnlineAsync();
        await _cloud.WaitForIngestAsync(processed + 1); // the presence is handled: a delivery would be queued now
        await Task.Delay(500); // absence window for the delivery that must not happen
        Assert.Equal(2, device.CloudMessages(TopicKind.Commands).Count);
    }

    [Fact]
    public async Task Counters_stay_unique_and_increasing_under_concurrent_requests()
    {
        await _cloud.ProvisionAsync("lock-cmd-05");
        CommandSendResult[] results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Commands.SendAsync("lock-cmd-05", new LocateBody(), "tester")));
        long[] counters = results.Select(r => r.Command!.Counter).Order().ToArray();
        Assert.Equal(20, counters.Distinct().Count());
        Assert.Equal(counters[0] + 19, counters[^1]);
    }

    [Fact]
    public async Task The_api_sends_and_lists_commands_and_answers_problems_for_bad_requests()
    {
        await _cloud.ProvisionAsync("lock-api-01");
        await _cloud.ProvisionAsync("cab-api-01", DeviceKind.Cabinet, compartments: 4);
        await _cloud.ProvisionAsync("lock-api-retired");
        await using (DbConnection connection = await _cloud.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE devices SET retired = TRUE WHERE id = 'lock-api-retired'");
        }

        HttpClient admin = _cloud.AdminClient();
        HttpResponseMessage sent = await admin.PostAsJsonAsync("/api/devices/lock-api-01/commands", new { type = "revoke-token", body = new { jtis = new[] { "tok-1" } }, ttlSeconds = 600 });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        CommandRecord command = (await sent.Content.ReadFromJsonAsync<CommandRecord>())!;
        Assert.Equal(CommandStatus.Queued, command.Status);
        Assert.Equal("admin-api-key", command.RequestedBy);
        Assert.Equal(600_000, command.ExpiresMs - command.IssuedMs);
        Assert.Equal("""{"jtis":["tok-1"]}""", command.Body);

        CommandRecord[] list = (await admin.GetFromJsonAsync<CommandRecord[]>("/api/devices/lock-api-01/commands?status=queued"))!;
        Assert.Equal(command.Id, Assert.Single(list).Id);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/devices/lock-api-01/commands/{command.Id}")).StatusCode);

        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/lock-nobody/commands", new { type = "locate" }), HttpStatusCode.NotFound, "lock-nobody");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/lock-api-retired/commands", new { type = "locate" }), HttpStatusCode.Conflict, "retired");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/lock-api-01/commands", new { type = "open-sesame" }), HttpStatusCode.BadRequest, "type");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/lock-api-01/commands", new { type = "dispense", body = new { cmp = 1 } }), HttpStatusCode.BadRequest, "does not handle");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/lock-api-01/commands", new { type = "doc-verdict", body = new { verdict = "ok" } }), HttpStatusCode.BadRequest, "attempt");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/lock-api-01/commands", new { type = "doc-verdict", body = new { attempt = "a-1", verdict = "maybe" } }), HttpStatusCode.BadRequest, "verdict");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/lock-api-01/commands", new { type = "load-token", body = new { token = "a.b.c" } }), HttpStatusCode.BadRequest, "use token");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/lock-api-01/commands", new { type = "set-state", body = new { enabled = false, version = 99 } }), HttpStatusCode.BadRequest, "version");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/lock-api-01/commands", new { type = "locate", ttlSeconds = 2 * 86400 }), HttpStatusCode.BadRequest, "ttlSeconds");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/cab-api-01/commands", new { type = "set-config", body = new { doorAlarmS = -1 } }), HttpStatusCode.BadRequest, "doorAlarmS");
        await AssertProblemAsync(await admin.PostAsync("/api/devices/lock-api-01/commands", new StringContent("{\"type\":", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, string.Empty);
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/lock-api-01/disable", new { reason = "" }), HttpStatusCode.BadRequest, "reason");
        await AssertProblemAsync(await admin.PostAsJsonAsync("/api/devices/lock-api-retired/disable", new { reason = "lost" }), HttpStatusCode.Conflict, "retired");
        await AssertProblemAsync(await admin.PutAsJsonAsync("/api/devices/lock-api-01/desired-state", new { enabled = true, revoked = new[] { "bad id!" } }), HttpStatusCode.BadRequest, "revoked");
        await AssertProblemAsync(await admin.GetAsync("/api/devices/lock-nobody/desired-state"), HttpStatusCode.NotFound, "lock-nobody");

        Assert.Equal(HttpStatusCode.Unauthorized, (await _cloud.CreateClient().PostAsJsonAsync("/api/devices/lock-api-01/disable", new { reason = "x" })).StatusCode);
        Assert.Single(await Commands.ListAsync("lock-api-01", null, 100)); // nothing else was stored
    }

    [Fact]
    public async Task Waiting_on_the_api_returns_the_devices_answer()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-api-02");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-api-02", key);
        await device.GoOnlineAsync(_cloud);
        _ = Task.Run(async () =>
        {
            CloudMessage command = (await device.WaitForCloudMessagesAsync(TopicKind.Commands, 1))[0];
            await device.AnswerAsync(command.Envelope.Id, ok: true);
        });

        HttpResponseMessage response = await _cloud.AdminClient().PostAsJsonAsync("/api/devices/lock-api-02/commands?wait=10", new { type = "locate" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CommandStatus.Ok, (await response.Content.ReadFromJsonAsync<CommandRecord>())!.Status);
    }


    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentions)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        using JsonDocument problem = JsonDocument.Parse(text);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(mentions, text, StringComparison.OrdinalIgnoreCase);
    }
}
