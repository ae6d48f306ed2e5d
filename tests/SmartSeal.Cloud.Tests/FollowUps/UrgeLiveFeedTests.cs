using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.LiveFeed;
using SmartSeal.Cloud.Tests.Alarms;
using SmartSeal.Cloud.Tests.Applications;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.FollowUps;

/// <summary>
/// An approver who is not a keeper opens the live feed (<c>/api/events/stream</c>) and is told of
/// their own urges (督促) only: not another approver's, and no device events of their unit.
/// </summary>
public sealed class UrgeLiveFeedTests : CloudTest<InstantDeadlineCloudFactory>
{
    private readonly OrgWorld _org;
    private readonly InstantDeadlineCloudFactory _cloud;

    public UrgeLiveFeedTests(InstantDeadlineCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    [Fact]
    public async Task An_approver_streams_their_own_urge_but_not_another_approvers_nor_device_events()
    {
        await _org.EnsureRootAsync();
        (string gd, string gdKeeper, string gdHead, string gdApplicant, string gdSeal) = await UnitWithSealAsync("gd");
        (_, _, string zjHead, string zjApplicant, string zjSeal) = await UnitWithSealAsync("zj");
        string device = OrgWorld.Unique("lock");
        HttpResponseMessage provisioned = await _cloud.AdminClient().PostAsJsonAsync("/api/devices", new { deviceId = device, kind = "lock", orgUnit = gd });
        Assert.Equal(HttpStatusCode.Created, provisioned.StatusCode);

        HttpClient headClient = await _org.SignInAsync(gdHead);
        using HttpResponseMessage headStream = await headClient.GetAsync("/api/events/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, headStream.StatusCode);
        using var headEvents = new SseReader(await headStream.Content.ReadAsStreamAsync());
        HttpClient keeperClient = await _org.SignInAsync(gdKeeper);
        using HttpResponseMessage keeperStream = await keeperClient.GetAsync("/api/events/stream", HttpCompletionOption.ResponseHeadersRead);
        using var keeperEvents = new SseReader(await keeperStream.Content.ReadAsStreamAsync());

        HttpClient gdApplicantClient = await _org.SignInAsync(gdApplicant);
        HttpClient zjApplicantClient = await _org.SignInAsync(zjApplicant);
        string gdApplication = await ApplyUrgentAsync(gdApplicantClient, gdSeal);
        string zjApplication = await ApplyUrgentAsync(zjApplicantClient, zjSeal);
        _cloud.Time.Advance(TimeSpan.FromSeconds(1)); // past the 1 ms deadline

        // Published before the head's own urge: had the head's stream carried them, they would arrive first.
        Assert.Equal(zjHead, await UrgeAsync(zjApplicantClient, zjApplication));
        _cloud.Service<LiveFeedHub>().Publish("device-event", device, new { deviceId = device, type = "status" });
        SseEvent keeperSaw = await keeperEvents.NextAsync(e => e.Event != "keep-alive");
        Assert.Equal(("device-event", device), (keeperSaw.Event, JsonDocument.Parse(keeperSaw.Data).RootElement.GetProperty("deviceId").GetString()));

        Assert.Equal(gdHead, await UrgeAsync(gdApplicantClient, gdApplication));
        SseEvent told = await headEvents.NextAsync(e => e.Event == ApplicationUrges.EventName); // past the "new task" notices of the submission
        Assert.Equal(ApplicationUrges.EventName, told.Event);
        JsonElement urge = JsonDocument.Parse(told.Data).RootElement;
        Assert.Equal((gdApplication, gdApplicant), (urge.GetProperty("applicationId").GetString(), urge.GetProperty("urgedBy").GetString()));
    }

    /// <summary>A province under hq with a keeper, an approver (the one-step chain's head), an applicant and an active seal.</summary>
    private async Task<(string Unit, string Keeper, string Head, string Applicant, string SealId)> UnitWithSealAsync(string prefix)
    {
        string unit = await _org.UnitAsync(OrgWorld.Unique(prefix), "hq");
        string keeper = await _org.UserAsync(OrgWorld.Unique("keeper"), unit, "keeper");
        string head = await _org.UserAsync(OrgWorld.Unique("head"), unit, "approver");
        string applicant = await _org.UserAsync(OrgWorld.Unique("applicant"), unit, "applicant");
        HttpClient keeperClient = await _org.SignInAsync(keeper);
        string sealId = await OrgWorld.SealInUseAsync(keeperClient, unit);
        return (unit, keeper, head, applicant, sealId);
    }

    private static async Task<string> ApplyUrgentAsync(HttpClient applicant, string sealId)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        HttpResponseMessage submitted = await applicant.PostAsJsonAsync("/api/applications", new
        {
            sealId, purpose = "督促直播", documents = new[] { new { name = "函.pdf", pages = 1 } }, stamps = 1, mode = "cabinet",
            windowFromMs = now, windowToMs = now + 3_600_000, urgency = "urgent",
        });
        string body = await submitted.Content.ReadAsStringAsync();
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Urges as the applicant; returns the one approver told.</summary>
    private static async Task<string> UrgeAsync(HttpClient applicant, string applicationId)
    {
        HttpResponseMessage urged = await applicant.PostAsync($"/api/applications/{applicationId}/urge", null);
        string body = await urged.Content.ReadAsStringAsync();
        Assert.True(urged.StatusCode == HttpStatusCode.OK, body);
        return Assert.Single(JsonDocument.Parse(body).RootElement.GetProperty("approvers").EnumerateArray()).GetString()!;
    }
}
