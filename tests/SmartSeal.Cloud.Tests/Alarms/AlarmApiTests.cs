using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Devices;

using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Alarms;

/// <summary><c>/api/alarms</c>: acknowledge and clear with user and comment, problem details, filters and paging.</summary>
public class AlarmApiTests : CloudTest<AlarmCloudFactory>
{
    private readonly AlarmCloudFactory _cloud;

    public AlarmApiTests(AlarmCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    [Fact]
    public async Task Acknowledge_keeps_the_alarm_active_clear_ends_it_and_doing_either_twice_is_a_conflict()
    {
        await _cloud.ProvisionAsync("cab-api-01", DeviceKind.Cabinet, compartments: 4);
        AlarmChange raised = await _cloud.Service<AlarmService>().RaiseAsync("cab-api-01", "door-held-open", 1, "open 10 min");
        using HttpClient client = _cloud.AdminClient();

        HttpResponseMessage ack = await client.PostAsJsonAsync($"/api/alarms/{raised.Id}/acknowledge", new { comment = "on my way" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        AlarmRecord acked = (await ack.Content.ReadFromJsonAsync<AlarmRecord>())!;
        Assert.True(acked.Active);
        Assert.Equal("admin-api-key", acked.AckedBy);
        Assert.Equal("on my way", acked.AckComment);
        Assert.NotNull(acked.AckedMs);

        HttpResponseMessage ackAgain = await client.PostAsJsonAsync($"/api/alarms/{raised.Id}/acknowledge", new { comment = "again" });
        await AssertProblemAsync(ackAgain, HttpStatusCode.Conflict, "conflict");

        HttpResponseMessage clear = await client.PostAsJsonAsync($"/api/alarms/{raised.Id}/clear", new { comment = "door closed, seal checked" });
        Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        AlarmRecord cleared = (await clear.Content.ReadFromJsonAsync<AlarmRecord>())!;
        Assert.False(cleared.Active);
        Assert.Equal("admin-api-key", cleared.ClearedBy);
        Assert.Equal("door closed, seal checked", cleared.ClearComment);
        Assert.Equal("on my way", cleared.AckComment);

        HttpResponseMessage clearAgain = await client.PostAsJsonAsync($"/api/alarms/{raised.Id}/clear", new { comment = "again" });
        await AssertProblemAsync(clearAgain, HttpStatusCode.Conflict, "conflict");

        // Without a body is fine (the comment is optional).
        AlarmChange other = await _cloud.Service<AlarmService>().RaiseAsync("cab-api-01", "door-held-open", 2, null);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/alarms/{other.Id}/clear", null)).StatusCode);
    }

    [Fact]
    public async Task Bad_input_unknown_alarms_and_strangers_get_problem_details()
    {
        using HttpClient client = _cloud.AdminClient();
        await AssertProblemAsync(await client.PostAsJsonAsync("/api/alarms/999999/clear", new { comment = "x" }), HttpStatusCode.NotFound, "not-found");
        await AssertProblemAsync(await client.GetAsync("/api/alarms/999999"), HttpStatusCode.NotFound, "not-found");
        await AssertProblemAsync(await client.GetAsync("/api/alarms/999999/deliveries"), HttpStatusCode.NotFound, "not-found");

        await _cloud.ProvisionAsync("cab-api-02", DeviceKind.Cabinet, compartments: 4);
        AlarmChange raised = await _cloud.Service<AlarmService>().RaiseAsync("cab-api-02", "door-held-open", 0, null);
        HttpResponseMessage tooLong = await client.PostAsJsonAsync($"/api/alarms/{raised.Id}/acknowledge", new { comment = new string('x', 1001) });
        JsonElement problem = await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest, null);
        Assert.True(problem.GetProperty("errors").TryGetProperty("comment", out _));

        JsonElement filters = await AssertProblemAsync(await client.GetAsync("/api/alarms?severity=loud&pageSize=0&from=10&to=5"), HttpStatusCode.BadRequest, null);
        JsonElement errors = filters.GetProperty("errors");
        Assert.True(errors.TryGetProperty("severity", out _));
        Assert.True(errors.TryGetProperty("pageSize", out _));
        Assert.True(errors.TryGetProperty("to", out _));

        HttpResponseMessage malformed = await client.PostAsync($"/api/alarms/{raised.Id}/clear", new StringContent("{\"comment\":", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        using HttpClient stranger = _cloud.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/alarms")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsync($"/api/alarms/{raised.Id}/clear", null)).StatusCode);
        Assert.True((await _cloud.Service<AlarmService>().FindAsync(raised.Id))!.Active);
    }

    [Fact]
    public async Task The_list_filters_by_active_device_type_severity_and_time_and_pages_newest_first()
    {
        await _cloud.ProvisionAsync("cab-api-03", DeviceKind.Cabinet, compartments: 4);
        AlarmService alarms = _cloud.Service<AlarmService>();
        long start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = new List<long>();
        for (int compartment = 1; compartment <= 3; compartment++)
        {
            ids.Add((await alarms.RaiseAsync("cab-api-03", "door-held-open", compartment, null)).Id);
        }

        long tamper = (await alarms.RaiseAsync("cab-api-03", "tamper", 0, null)).Id;
        await alarms.ClearAsync("cab-api-03", "door-held-open", 1, "device", null);
        using HttpClient client = _cloud.AdminClient();

        AlarmPage all = (await client.GetFromJsonAsync<AlarmPage>("/api/alarms?device=cab-api-03"))!;
        Assert.Equal(4, all.Total);
        Assert.Equal(tamper, all.Items[0].Id); // newest first

        AlarmPage active = (await client.GetFromJsonAsync<AlarmPage>("/api/alarms?device=cab-api-03&active=true&type=door-held-open"))!;
        Assert.Equal([ids[2], ids[1]], active.Items.Select(a => a.Id).ToArray());

        AlarmPage critical = (await client.GetFromJsonAsync<AlarmPage>("/api/alarms?device=cab-api-03&severity=critical"))!;
        Assert.Equal(tamper, Assert.Single(critical.Items).Id);

        AlarmPage page2 = (await client.GetFromJsonAsync<AlarmPage>("/api/alarms?device=cab-api-03&pageSize=3&page=2"))!;
        Assert.Equal(ids[0], Assert.Single(page2.Items).Id);
        Assert.Equal(4, page2.Total);

        AlarmPage none = (await client.GetFromJsonAsync<AlarmPage>($"/api/alarms?device=cab-api-03&to={start - 1}"))!;
        Assert.Empty(none.Items);
        AlarmPage since = (await client.GetFromJsonAsync<AlarmPage>($"/api/alarms?device=cab-api-03&from={start}"))!;
        Assert.Equal(4, since.Total);

        AlarmRecord one = (await client.GetFromJsonAsync<AlarmRecord>($"/api/alarms/{tamper}"))!;
        Assert.Equal("critical", one.Severity);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? typeSuffix)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (typeSuffix != null)
        {
            Assert.EndsWith(typeSuffix, problem.GetProperty("type").GetString());
        }

        return problem;
    }
}
