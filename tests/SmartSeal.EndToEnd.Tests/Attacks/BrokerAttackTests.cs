using MQTTnet;
using MQTTnet.Protocol;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;
using Xunit.Abstractions;

namespace SmartSeal.EndToEnd.Tests.Attacks;

/// <summary>
/// An attacker at the cloud's MQTT broker. Without a device key: guessed and forged passwords, no
/// credentials, service-like user names. With one device's key: wildcard subscriptions, the
/// cloud-only topics of its own subtree, a retained fake desired state. (The basic cases — wrong
/// key, unknown device, foreign client id, another device's topic — are Cloud.Tests' IngestTests.)
/// </summary>
public class BrokerAttackTests : CloudTest<E2eCloudFactory>
{
    private readonly E2eCloudFactory _cloud;
    private readonly ITestOutputHelper _output;

    public BrokerAttackTests(E2eCloudFactory cloud, ITestOutputHelper output)
        : base(cloud)
    {
        _cloud = cloud;
        _output = output;
    }

    [Fact]
    public async Task Without_a_device_key_no_login_succeeds_and_with_one_nothing_outside_its_own_device_topics_is_reachable()
    {
        string lockId = OrgWorld.Unique("lock");
        byte[] key = await _cloud.ProvisionAsync(lockId);
        long expiry = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600;
        var random = new Random(SmartSeal.EndToEnd.Tests.Fuzz.FuzzBudget.Seed);
        var attempts = new List<(string User, string? Password)>();
        for (int i = 0; i < 40; i++)
        {
            byte[] guessKey = new byte[32];
            random.NextBytes(guessKey);
            attempts.Add((lockId, BrokerPassword.Create(lockId, guessKey, expiry)));  // well-formed, wrong key
        }

        attempts.AddRange([
            (lockId, "password"), (lockId, ""), (lockId, null), ("smartseal-cloud", "smartseal-cloud"), ("admin", "admin"), ("", ""), ("#", "x"),
            (lockId, BrokerPassword.Create(lockId, DeviceKeys.Derive(Enumerable.Repeat((byte)1, 32).ToArray(), lockId, 1), expiry)), // another master key
            (lockId, BrokerPassword.Create(lockId, key, expiry - 7200)),  // expired
            (lockId + "x", BrokerPassword.Create(lockId, key, expiry)),  // right password, other user
        ]);
        int refused = 0;
        foreach ((string user, string? password) in attempts)
        {
            if (!await CanConnectAsync(user, password))
            {
                refused++;
            }
        }

        _output.WriteLine($"{attempts.Count} logins without the device's key: {refused} refused");
        Assert.Equal(attempts.Count, refused);

        // With the key: only its own subtree, and only the leaves a device may publish.
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, lockId, key, subscribe: false);
        string[] filters = ["#", "$SYS/#", "smartseal/#", "smartseal/v1/+/events", "smartseal/v1/+/cmd", "+/+/+/+"];
        int subscriptionsRefused = 0;
        foreach (string filter in filters)
        {
            MqttClientSubscribeResult result = await device.SubscribeAsync(filter);
            subscriptionsRefused += (int)result.Items.Single().ResultCode > 2 ? 1 : 0;
        }

        // Its own cloud-only leaves: a fake (retained) desired state, a self-issued command, a fake ack.
        var fake = new DesiredStateBody { Version = 999_999, Enabled = true, Token = "x.y.z" };
        int publishesRefused = 0;
        foreach (TopicKind kind in new[] { TopicKind.DesiredState, TopicKind.Commands, TopicKind.Acks })
        {
            MqttClientPublishResult published = await device.PublishAsync(DeviceTopics.For(lockId, kind), device.Sign(fake), retain: kind == TopicKind.DesiredState);
            publishesRefused += published.ReasonCode == MqttClientPublishReasonCode.NotAuthorized ? 1 : 0;
        }

        _output.WriteLine($"{filters.Length} wildcard subscriptions: {subscriptionsRefused} refused; 3 publishes to cloud-only leaves: {publishesRefused} refused");
        Assert.Equal(filters.Length, subscriptionsRefused);
        Assert.Equal(3, publishesRefused);

        // The genuine device, reconnecting, finds no retained fake state (only the cloud's, if any).
        await using DeviceClient again = await DeviceClient.ConnectAsync(_cloud.MqttPort, lockId, key, clientId: lockId);
        await Task.Delay(500); // absence window: a retained fake would arrive right after subscribing; nothing to await when it is absent
        Assert.DoesNotContain(again.Received, r => r.Topic == DeviceTopics.For(lockId, TopicKind.DesiredState) && r.Payload.AsSpan().IndexOf("999999"u8) >= 0);
    }

    private async Task<bool> CanConnectAsync(string user, string? password)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptionsBuilder options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _cloud.MqttPort).WithClientId(user.Length > 0 ? user : "anon").WithTimeout(TimeSpan.FromSeconds(5));
        if (password != null)
        {
            options.WithCredentials(user, password);
        }

        try
        {
            return (await client.ConnectAsync(options.Build())).ResultCode == MqttClientConnectResultCode.Success;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return false;
        }
    }
}
