using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Commands;

/// <summary>Command expiry on the host's fake clock: a command's lifetime and the result grace pass by advancing it.</summary>
public class CommandExpiryTests : CloudTest<FakeTimeCloudFactory>
{
    private readonly FakeTimeCloudFactory _cloud;

    public CommandExpiryTests(FakeTimeCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    private CommandService Commands => _cloud.Service<CommandService>();

    [Fact]
    public async Task An_expired_queued_command_is_never_sent()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-cmd-03");
        CommandRecord stale = (await Commands.SendAsync("lock-cmd-03", new LocateBody(), "tester", TimeSpan.FromMilliseconds(300))).Command!;
        _cloud.Time.Advance(TimeSpan.FromMilliseconds(301));
        CommandRecord fresh = (await Commands.SendAsync("lock-cmd-03", new RevokeTokenBody { TokenIds = ["tok-2"] }, "tester")).Command!;

        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-cmd-03", key);
        await device.ReportOnlineAsync();

        // Queued commands go out in counter order in one pass: had the stale one been sent, it would have come first.
        List<CloudMessage> received = await device.WaitForCloudMessagesAsync(TopicKind.Commands, 1);
        Assert.Equal([fresh.Id], received.Select(m => m.Envelope.Id));
        CommandRecord? expired = await Commands.FindAsync("lock-cmd-03", stale.Id);
        Assert.Equal(CommandStatus.Expired, expired!.Status);
        Assert.Null(expired.SentMs);
    }

    [Fact]
    public async Task A_sent_command_without_a_result_expires_and_a_late_result_still_counts()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-cmd-04");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-cmd-04", key);
        await device.GoOnlineAsync(_cloud);
        CommandRecord command = (await Commands.SendAsync("lock-cmd-04", new LocateBody(), "tester", TimeSpan.FromMilliseconds(200))).Command!;
        Assert.Equal(CommandStatus.Sent, command.Status);

        // Within the result grace a sent command stays open; past it, it expires.
        int grace = _cloud.Service<Microsoft.Extensions.Options.IOptions<CommandOptions>>().Value.ResultGraceSeconds;
        _cloud.Time.Advance(TimeSpan.FromMilliseconds(200) + TimeSpan.FromSeconds(grace) - TimeSpan.FromMilliseconds(1));
        await Commands.ExpireOverdueAsync();
        Assert.Equal(CommandStatus.Sent, (await Commands.FindAsync("lock-cmd-04", command.Id))!.Status);
        _cloud.Time.Advance(TimeSpan.FromMilliseconds(1));
        await Commands.ExpireOverdueAsync();
        Assert.Equal(CommandStatus.Expired, (await Commands.FindAsync("lock-cmd-04", command.Id))!.Status);

        await device.AnswerAsync(command.Id, ok: true);
        await device.WaitForAckAsync(1);
        Assert.Equal(CommandStatus.Ok, (await Commands.WaitForResultAsync("lock-cmd-04", command.Id, TimeSpan.FromSeconds(5)))!.Status);
    }
}
