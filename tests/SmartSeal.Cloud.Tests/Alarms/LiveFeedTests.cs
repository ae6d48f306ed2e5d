using System.Net;
using System.Text.Json;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Alarms;

/// <summary><c>/api/events/stream</c>: alarms, presence and device events as server-sent events, resumable.</summary>
public class LiveFeedTests : CloudTest<AlarmCloudFactory>
{
    private readonly AlarmCloudFactory _cloud;

    public LiveFeedTests(AlarmCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    [Fact]
    public async Task The_stream_delivers_the_alarm_raised_by_a_forged_message_presence_and_stored_events()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-feed-01");
        byte[] otherKey = await _cloud.ProvisionAsync("lock-feed-02");
        using HttpClient client = _cloud.AdminClient();
        using HttpResponseMessage response = await client.GetAsync("/api/events/stream?device=lock-feed-01", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync());

        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-feed-01", key);
        await device.PublishAsync(DeviceTopics.For("lock-feed-01", TopicKind.Status), device.Sign(new StatusBody { Online = true }, seq: 0));
        SseEvent presence = await events.NextAsync(e => e.Event == "presence");
        Assert.True(JsonDocument.Parse(presence.Data).RootElement.GetProperty("online").GetBoolean());

        // A message on its own topic signed with another device's key: refused, alarmed, streamed.
        await device.PublishAsync(DeviceTopics.For("lock-feed-01", TopicKind.Events), device.Sign(new StampedBody { AttemptId = "a", TokenId = "t" }, key: otherKey));
        SseEvent alarm = await events.NextAsync(e => e.Event == "alarm");
        JsonElement data = JsonDocument.Parse(alarm.Data).RootElement;
        Assert.Equal("lock-feed-01", data.GetProperty("deviceId").GetString());
        Assert.Equal(AlarmTypes.ForgedMessage, data.GetProperty("type").GetString());
        Assert.Equal("critical", data.GetProperty("severity").GetString());
        Assert.Equal("raised", data.GetProperty("kind").GetString());

        // (A record the device may make on its own: a stamp under a token not issued to it would be refused by binding.)
        await device.SendAsync(new BatteryBody { Percent = 42, MilliVolts = 3700 });
        SseEvent stored = await events.NextAsync(e => e.Event == "device-event");
        JsonElement storedData = JsonDocument.Parse(stored.Data).RootElement;
        Assert.Equal("battery", storedData.GetProperty("type").GetString());
        Assert.Equal(42, storedData.GetProperty("body").GetProperty("pct").GetInt32());

        // The device filter keeps other devices' events out; an idle stream gets keep-alive comments.
        await _cloud.Service<AlarmService>().RaiseAsync("lock-feed-02", "tamper", 0, null);
        await _cloud.Service<AlarmService>().RaiseAsync("lock-feed-01", "tamper", 0, "marker");
        SseEvent next = await events.NextAsync(e => e.Event == "alarm");
        Assert.Contains("marker", next.Data);
        Assert.Equal("keep-alive", await events.NextCommentAsync()); // the idle stream's comment (every 0.5 s in this fixture)
        await _cloud.Service<AlarmService>().RaiseAsync("lock-feed-01", "geofence-exit", 0, null);
        Assert.Contains("geofence-exit", (await events.NextAsync(e => e.Event == "alarm")).Data);
    }

    [Fact]
    public async Task A_client_resumes_after_Last_Event_ID_and_gets_a_reset_when_that_is_impossible()
    {
        await _cloud.ProvisionAsync("lock-feed-03");
        AlarmService alarms = _cloud.Service<AlarmService>();
        using HttpClient client = _cloud.AdminClient();
        string firstId;
        using (HttpResponseMessage response = await client.GetAsync("/api/events/stream?device=lock-feed-03", HttpCompletionOption.ResponseHeadersRead))
        using (var events = new SseReader(await response.Content.ReadAsStreamAsync()))
        {
            await alarms.RaiseAsync("lock-feed-03", "tamper", 0, "one");
            firstId = (await events.NextAsync(e => e.Event == "alarm")).Id!;
        }

        // Missed while disconnected.
        await alarms.RaiseAsync("lock-feed-03", "geofence-exit", 0, "two");
        await alarms.RaiseAsync("lock-feed-03", "wrong-seal", 0, "three");

        using var resume = new HttpRequestMessage(HttpMethod.Get, "/api/events/stream?device=lock-feed-03");
        resume.Headers.Add("Last-Event-ID", firstId);
        using (HttpResponseMessage response = await client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead))
        using (var events = new SseReader(await response.Content.ReadAsStreamAsync()))
        {
            SseEvent two = await events.NextAsync();
            SseEvent three = await events.NextAsync();
            Assert.Contains("\"two\"", two.Data);
            Assert.Contains("\"three\"", three.Data);
        }

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/api/events/stream?device=lock-feed-03");
        stale.Headers.Add("Last-Event-ID", "previous-process-17");
        using (HttpResponseMessage response = await client.SendAsync(stale, HttpCompletionOption.ResponseHeadersRead))
        using (var events = new SseReader(await response.Content.ReadAsStreamAsync()))
        {
            Assert.Equal("reset", (await events.NextAsync()).Event);
        }

        using HttpClient stranger = _cloud.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/events/stream", HttpCompletionOption.ResponseHeadersRead)).StatusCode);
    }
}
