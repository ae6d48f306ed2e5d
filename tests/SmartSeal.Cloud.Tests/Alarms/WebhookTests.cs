using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Alarms.Webhooks;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Tests.Alarms;

/// <summary>Alarm notifications reach a local receiver in every format, correctly signed, retried until accepted.</summary>
public class WebhookTests : CloudTest<AlarmCloudFactory>
{
    private readonly AlarmCloudFactory _cloud;

    public WebhookTests(AlarmCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    private WebhookReceiver Receiver => _cloud.Receiver;

    [Fact]
    public async Task Every_format_receives_the_alarm_with_a_signature_that_verifies_independently()
    {
        await _cloud.ProvisionAsync("cab-hooks-01", DeviceKind.Cabinet, compartments: 4);
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        AlarmChange raised = await _cloud.Service<AlarmService>().RaiseAsync("cab-hooks-01", AlarmCloudFactory.FormatsType, 2, "door open for 6 min");
        bool Mine(ReceivedRequest r) => r.Text.Contains("cab-hooks-01", StringComparison.Ordinal);

        // Generic: our JSON, HMAC-SHA256 of the exact body bytes with the secret, hex, "sha256=" prefix.
        ReceivedRequest generic = (await Receiver.WaitForAsync("/generic", Mine)).Single();
        string expected = "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AlarmCloudFactory.GenericSecret), generic.Body)).ToLowerInvariant();
        Assert.Equal(expected, generic.Headers["X-SmartSeal-Signature"]);
        Assert.Equal("alarm.raised", generic.Headers["X-SmartSeal-Event"]);
        using JsonDocument json = JsonDocument.Parse(generic.Body);
        Assert.Equal(raised.Id, json.RootElement.GetProperty("alarmId").GetInt64());
        Assert.Equal("warning", json.RootElement.GetProperty("severity").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("compartment").GetInt32());
        long sentAt = json.RootElement.GetProperty("sentAtMs").GetInt64();
        Assert.Equal(sentAt.ToString(System.Globalization.CultureInfo.InvariantCulture), generic.Headers["X-SmartSeal-Timestamp"]);
        Assert.InRange(sentAt, before, before + 60_000);

        // DingTalk: markdown; URL keeps access_token and adds timestamp (ms) and sign = base64(HMAC(secret, ts + "\n" + secret)).
        ReceivedRequest ding = (await Receiver.WaitForAsync("/dingtalk", Mine)).Single();
        Assert.Equal("token-1", ding.Query["access_token"]);
        string timestamp = ding.Query["timestamp"]!;
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), before, before + 60_000);
        string dingSign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AlarmCloudFactory.DingTalkSecret), Encoding.UTF8.GetBytes(timestamp + "\n" + AlarmCloudFactory.DingTalkSecret)));
        Assert.Equal(dingSign, ding.Query["sign"]); // HttpListener has URL-decoded it
        using JsonDocument dingBody = JsonDocument.Parse(ding.Body);
        Assert.Equal("markdown", dingBody.RootElement.GetProperty("msgtype").GetString());
        Assert.Contains("door-held-open", dingBody.RootElement.GetProperty("markdown").GetProperty("title").GetString());
        Assert.Contains("door open for 6 min", dingBody.RootElement.GetProperty("markdown").GetProperty("text").GetString());

        // WeCom: markdown content, the key stays in the URL, no signature.
        ReceivedRequest wecom = (await Receiver.WaitForAsync("/wecom", Mine)).Single();
        Assert.Equal("key-1", wecom.Query["key"]);
        using JsonDocument wecomBody = JsonDocument.Parse(wecom.Body);
        Assert.Equal("markdown", wecomBody.RootElement.GetProperty("msgtype").GetString());
        Assert.Contains("cab-hooks-01", wecomBody.RootElement.GetProperty("markdown").GetProperty("content").GetString());

        // Feishu: text; timestamp (seconds, string) and sign = base64(HMAC(key = ts + "\n" + secret, message = empty)) in the body.
        ReceivedRequest feishu = (await Receiver.WaitForAsync("/feishu", Mine)).Single();
        using JsonDocument feishuBody = JsonDocument.Parse(feishu.Body);
        string seconds = feishuBody.RootElement.GetProperty("timestamp").GetString()!;
        Assert.InRange(long.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), (before / 1000) - 1, (before / 1000) + 60);
        string feishuSign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(seconds + "\n" + AlarmCloudFactory.FeishuSecret), Array.Empty<byte>()));
        Assert.Equal(feishuSign, feishuBody.RootElement.GetProperty("sign").GetString());
        Assert.Equal("text", feishuBody.RootElement.GetProperty("msg_type").GetString());
        Assert.Contains("door-held-open", feishuBody.RootElement.GetProperty("content").GetProperty("text").GetString());

        // The deliveries are visible through the API: four subscriptions wanted it (not the critical-only one), all delivered.
        WebhookDelivery[] deliveries = await WaitForDeliveriesAsync(raised.Id, d => d.Length == 4 && d.All(x => x.Status == "delivered"));
        Assert.Equal(["dingtalk", "feishu", "generic", "wecom"], deliveries.Select(d => d.Webhook).Order().ToArray());
        Assert.All(deliveries, d => Assert.Equal(1, d.Attempts));
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_device_alarm_exactly_once_after_retries()
    {
        Receiver.FailFirst("/flaky", 2);
        byte[] key = await _cloud.ProvisionAsync("lock-hooks-02");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-hooks-02", key);
        await device.SendAsync(new AlarmBody { Alarm = AlarmType.Tamper, Active = true, Detail = "case opened" });
        await device.WaitForAckAsync(1);

        IReadOnlyList<ReceivedRequest> accepted = await Receiver.WaitForAsync("/flaky", r => r.AnsweredStatus == 200 && r.Text.Contains("lock-hooks-02", StringComparison.Ordinal));
        using JsonDocument json = JsonDocument.Parse(accepted.Single().Body);
        Assert.Equal("tamper", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("critical", json.RootElement.GetProperty("severity").GetString());
        long alarmId = json.RootElement.GetProperty("alarmId").GetInt64();

        WebhookDelivery delivery = (await WaitForDeliveriesAsync(alarmId, d => d.Any(x => x.Webhook == "flaky" && x.Status == "delivered"))).Single(d => d.Webhook == "flaky");
        Assert.Equal(3, delivery.Attempts);
        List<ReceivedRequest> tries = Receiver.Requests("/flaky").Where(r => r.Text.Contains("lock-hooks-02", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, tries.Count(r => r.AnsweredStatus == 500));
        Assert.Single(tries, r => r.AnsweredStatus == 200);

        // Every try carries the same delivery id, so a receiver can tell a retry from a new notification.
        Assert.Single(tries.Select(r => r.Headers["X-SmartSeal-Delivery"]).Distinct());
    }

    [Fact]
    public async Task A_robot_that_answers_200_with_an_error_code_is_retried_and_then_marked_failed()
    {
        await _cloud.ProvisionAsync("cab-hooks-03", DeviceKind.Cabinet, compartments: 4);
        AlarmChange raised = await _cloud.Service<AlarmService>().RaiseAsync("cab-hooks-03", "storage-full", 0, "flash queue full");

        WebhookDelivery delivery = (await WaitForDeliveriesAsync(raised.Id, d => d.Any(x => x.Status == "failed"))).Single();
        Assert.Equal(4, delivery.Attempts); // MaxAttempts in the fixture
        Assert.Contains("310000", delivery.LastError);
        Assert.Equal(4, Receiver.Requests("/refusing").Count(r => r.Text.Contains("cab-hooks-03", StringComparison.Ordinal)));
        Assert.Contains(_cloud.Errors.Entries, e => e.Contains("gave up", StringComparison.Ordinal));
        _cloud.Errors.Clear();
    }

    [Fact]
    public async Task Raising_an_active_alarm_again_counts_an_occurrence_and_notifies_once()
    {
        await _cloud.ProvisionAsync("cab-hooks-04", DeviceKind.Cabinet, compartments: 4);
        AlarmService alarms = _cloud.Service<AlarmService>();
        AlarmChange first = await alarms.RaiseAsync("cab-hooks-04", AlarmCloudFactory.FormatsType, 0, "first");
        AlarmChange second = await alarms.RaiseAsync("cab-hooks-04", AlarmCloudFactory.FormatsType, 0, "second");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(AlarmChangeKind.Repeated, second.Kind);
        Assert.Equal(2, second.Occurrences);
        await WaitForDeliveriesAsync(first.Id, d => d.Length == 4 && d.All(x => x.Status == "delivered"));
        Assert.Single(Receiver.Requests("/generic"), r => r.Text.Contains("cab-hooks-04", StringComparison.Ordinal));

        // Cleared, it notifies again ("cleared"); raised afterwards, it is a new alarm.
        await alarms.ClearAsync("cab-hooks-04", AlarmCloudFactory.FormatsType, 0, "rule", "closed");
        AlarmChange third = await alarms.RaiseAsync("cab-hooks-04", AlarmCloudFactory.FormatsType, 0, "third");
        Assert.NotEqual(first.Id, third.Id);
        await Receiver.WaitForAsync("/generic", r => r.Text.Contains("cab-hooks-04", StringComparison.Ordinal) && r.Headers["X-SmartSeal-Event"] == "alarm.cleared");
    }

    [Fact]
    public async Task A_delivery_left_in_the_outbox_by_a_previous_process_is_sent_after_a_restart()
    {
        // What a process that stopped mid-way leaves behind: the alarm and its outbox row, one
        // claimed (its lease ran out) and never marked — nothing of it in this process's memory.
        await _cloud.ProvisionAsync("cab-hooks-05", DeviceKind.Cabinet, compartments: 4);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using System.Data.Common.DbConnection connection = await _cloud.Service<SmartSeal.Cloud.Storage.Database>().OpenAsync();
        long alarmId = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "INSERT INTO alarms (device_id, type, severity, compartment, active, detail, occurrences, raised_ms, last_ms) VALUES ('cab-hooks-05', 'tamper', 'critical', 0, TRUE, 'before restart', 1, @now, @now) RETURNING id",
            new { now = now - 60_000 });
        string payload = JsonSerializer.Serialize(new AlarmNotification(0, "raised", alarmId, "cab-hooks-05", "tamper", "critical", 0, 1, "before restart", now - 60_000, null, null), AlarmNotification.Json);
        await Dapper.SqlMapper.ExecuteAsync(connection,
            "INSERT INTO alarm_deliveries (alarm_id, change_kind, webhook, format, payload, status, attempts, next_attempt_ms, created_ms) VALUES (@alarmId, 'raised', 'flaky', 'generic', @payload, 'pending', 1, @lease, @created)",
            new { alarmId, payload, lease = now - 1_000, created = now - 60_000 });

        ReceivedRequest received = (await Receiver.WaitForAsync("/flaky", r => r.Text.Contains("cab-hooks-05", StringComparison.Ordinal) && r.AnsweredStatus == 200)).Single();
        Assert.Contains("before restart", received.Text);
        WebhookDelivery delivery = (await WaitForDeliveriesAsync(alarmId, d => d.All(x => x.Status == "delivered"))).Single();
        Assert.Equal(2, delivery.Attempts);
    }

    private async Task<WebhookDelivery[]> WaitForDeliveriesAsync(long alarmId, Func<WebhookDelivery[], bool> done)
    {
        using HttpClient client = _cloud.AdminClient();
        WebhookDelivery[] deliveries = [];
        await Eventually.Async(
            async () => done(deliveries = (await client.GetFromJsonAsync<WebhookDelivery[]>($"/api/alarms/{alarmId}/deliveries"))!),
            "the deliveries reached the expected state",
            TimeSpan.FromSeconds(30),
            () => JsonSerializer.Serialize(deliveries));
        return deliveries;
    }
}
