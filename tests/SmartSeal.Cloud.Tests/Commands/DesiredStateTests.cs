using System.Net;
using System.Net.Http.Json;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Commands;

/// <summary>Retained, signed desired state and remote disable, with <see cref="DeviceClient"/> acting as the device.</summary>
public class DesiredStateTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;

    public DesiredStateTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    private DesiredStateService States => _cloud.Service<DesiredStateService>();

    [Fact]
    public async Task The_desired_state_is_retained_signed_and_its_version_only_increases()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-ds-01");
        DesiredStateResult first = await States.SetAsync("lock-ds-01", v => v with { Revoked = ["tok-a"] }, "first", "tester");
        DesiredStateResult second = await States.SetAsync("lock-ds-01", v => v with { Enabled = false }, "lost", "tester");
        Assert.Equal(1, first.State!.Version);
        Assert.Equal(2, second.State!.Version);
        Assert.Equal(["tok-a"], second.State.Revoked); // a change keeps what it does not touch

        // Concurrent changes: every one gets its own version, none is lost.
        DesiredStateResult[] many = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => States.SetAsync("lock-ds-01", v => v with { Revoked = [.. v.Revoked, $"tok-{i}"] }, null, "tester")));
        Assert.Equal(Enumerable.Range(3, 10).Select(i => (long)i), many.Select(r => r.State!.Version).Order());
        DesiredStateRecord latest = (await States.FindAsync("lock-ds-01"))!;
        Assert.Equal(12, latest.Version);
        Assert.Equal(11, latest.Revoked.Length);

        // A device that subscribes later gets exactly the newest state, signed with its key, as state (seq 0, no expiry).
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-ds-01", key);
        CloudMessage retained = Assert.Single(await device.WaitForCloudMessagesAsync(TopicKind.DesiredState, 1));
        var body = (DesiredStateBody)retained.Body;
        Assert.Equal(12, body.Version);
        Assert.False(body.Enabled);
        Assert.Equal(11, body.RevokedTokenIds.Length);
        Assert.Equal(0, retained.Envelope.Seq);
        Assert.Equal(0, retained.Envelope.Expires);
    }

    [Fact]
    public async Task Disable_while_online_sends_set_state_at_once_and_the_acknowledgement_is_recorded()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-ds-02");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-ds-02", key);
        await device.GoOnlineAsync(_cloud);

        HttpResponseMessage response = await _cloud.AdminClient().PostAsJsonAsync("/api/devices/lock-ds-02/disable", new { reason = "seal reported lost" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        RemoteStateResponse disabled = (await response.Content.ReadFromJsonAsync<RemoteStateResponse>())!;
        Assert.False(disabled.DesiredState.Enabled);
        Assert.Equal(CommandStatus.Sent, disabled.Command!.Status);
        Assert.Equal(disabled.DesiredState.Version, disabled.Command.DesiredVersion);

        CloudMessage desired = Assert.Single(await device.WaitForCloudMessagesAsync(TopicKind.DesiredState, 1));
        CloudMessage command = Assert.Single(await device.WaitForCloudMessagesAsync(TopicKind.Commands, 1));
        var set = (SetStateBody)command.Body;
        Assert.False(set.Enabled);
        Assert.Equal("seal reported lost", set.Reason);
        Assert.Equal(((DesiredStateBody)desired.Body).Version, set.Version);

        // The device applies it and says so.
        await device.SendAsync(new StateAppliedBody { Version = set.Version, Enabled = false });
        await device.AnswerAsync(command.Envelope.Id, ok: true);
        DesiredStateRecord applied = (await States.WaitForAppliedAsync("lock-ds-02", set.Version, TimeSpan.FromSeconds(10)))!;
        Assert.True(applied.Acknowledged);

        DesiredStateView view = (await _cloud.AdminClient().GetFromJsonAsync<DesiredStateView>("/api/devices/lock-ds-02/desired-state"))!;
        Assert.Equal(set.Version, view.AppliedVersion);
        Assert.True(view.Acknowledged);
        Assert.NotNull(view.AcknowledgedAfterMs);
        Assert.True(view.AcknowledgedAfterMs >= 0);
        Assert.Equal("seal reported lost", view.Reason);
        Assert.Equal(CommandStatus.Ok, (await _cloud.Service<CommandService>().WaitForResultAsync("lock-ds-02", command.Envelope.Id, TimeSpan.FromSeconds(10)))!.Status);

        // Enabling again is the next version.
        RemoteStateResponse enabled = (await (await _cloud.AdminClient().PostAsJsonAsync("/api/devices/lock-ds-02/enable", new { reason = "found" })).Content.ReadFromJsonAsync<RemoteStateResponse>())!;
        Assert.True(enabled.DesiredState.Enabled);
        Assert.Equal(set.Version + 1, enabled.DesiredState.Version);
        Assert.False(enabled.DesiredState.Acknowledged);
    }

    [Fact]
    public async Task Disable_while_offline_reaches_the_device_retained_on_connect_before_the_queued_set_state()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-ds-03");
        DesiredStateResult result = await States.SetEnabledAsync("lock-ds-03", false, "left on a train", "tester");
        Assert.Equal(CommandStatus.Queued, result.Command!.Status);

        // A second change while it is away makes the queued set-state history: superseded, never sent.
        DesiredStateResult again = await States.SetEnabledAsync("lock-ds-03", false, "still missing", "tester");
        Assert.Equal(CommandStatus.Superseded, (await _cloud.Service<CommandService>().FindAsync("lock-ds-03", result.Command.Id))!.Status);

        // Subscribing to the desired state alone first, as CloudLink does.
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-ds-03", key, subscribe: false);
        await device.SubscribeAsync(DeviceTopics.For("lock-ds-03", TopicKind.DesiredState));
        var desired = (DesiredStateBody)Assert.Single(await device.WaitForCloudMessagesAsync(TopicKind.DesiredState, 1)).Body;
        Assert.False(desired.Enabled);
        Assert.Equal(again.State!.Version, desired.Version);

        await device.SubscribeAsync(DeviceTopics.For("lock-ds-03", TopicKind.Commands));
        await device.ReportOnlineAsync();
        CloudMessage command = Assert.Single(await device.WaitForCloudMessagesAsync(TopicKind.Commands, 1));
        Assert.Equal(again.Command!.Id, command.Envelope.Id);
        Assert.Equal(desired.Version, ((SetStateBody)command.Body).Version);
    }

    [Fact]
    public async Task A_token_in_the_desired_state_must_be_for_this_device()
    {
        await _cloud.ProvisionAsync("lock-ds-04");
        HttpResponseMessage response = await _cloud.AdminClient().PutAsJsonAsync("/api/devices/lock-ds-04/desired-state", new { enabled = true, token = "eyJhbGciOiJIUzI1NiJ9.e30.AAAA" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("token", await response.Content.ReadAsStringAsync());
        Assert.Null(await States.FindAsync("lock-ds-04"));

        response = await _cloud.AdminClient().PutAsJsonAsync("/api/devices/lock-ds-04/desired-state", new { enabled = true, revoked = new[] { "tok-1", "tok-2" }, reason = "audit" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        DesiredStateView view = (await response.Content.ReadFromJsonAsync<DesiredStateView>())!;
        Assert.Equal(["tok-1", "tok-2"], view.Revoked);
        Assert.Equal(1, view.Version);
    }
}
