using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Alarms;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.Reports;

/// <summary>印章出勤看板: where every seal is, who holds it, since and until when, overdue; and its live line on the SSE feed.</summary>
public class SealBoardTests(CloudFactory cloud) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    private async Task MoveAsync(string sealId, SealLocationKind kind, string? reference, long atMs)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        await using DbTransaction transaction = await connection.BeginTransactionAsync();
        await SealRegistry.SetLocationAsync(connection, transaction, sealId, kind, reference, atMs);
        await transaction.CommitAsync();
    }

    /// <summary>The next board line of <paramref name="sealId"/> on the feed (other seals' lines, and this seal's registration, may come first).</summary>
    private static async Task<JsonElement> NextLineAsync(SseReader events, string sealId, string locationKind)
    {
        while (true)
        {
            SseEvent next = await events.NextAsync();
            Assert.Equal(SealBoardNotifier.EventName, next.Event);
            JsonElement line = JsonDocument.Parse(next.Data).RootElement;
            if (line.GetProperty("sealId").GetString() == sealId && line.GetProperty("locationKind").GetString() == locationKind)
            {
                return line;
            }
        }
    }

    private static async Task<JsonElement> LineAsync(HttpClient client, string sealId) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/seals/board")).EnumerateArray().Single(l => l.GetProperty("sealId").GetString() == sealId);

    [Fact]
    public async Task A_seal_out_in_a_lock_is_held_by_the_applicant_until_the_window_ends_and_overdue_after_it()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        HttpClient auditor = await w.SignInAsync(w.GdAuditor);
        long outAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        JsonElement before = await LineAsync(auditor, w.GdSeal);
        Assert.Equal(("unknown", false), (before.GetProperty("locationKind").GetString(), before.GetProperty("out").GetBoolean()));

        await MoveAsync(w.GdSeal, SealLocationKind.Lock, w.Device, outAt);
        JsonElement line = await LineAsync(auditor, w.GdSeal);
        Assert.Equal(("lock", w.Device, true), (line.GetProperty("locationKind").GetString(), line.GetProperty("locationRef").GetString(), line.GetProperty("out").GetBoolean()));
        Assert.Equal((w.Applicant, "用户 " + w.Applicant), (line.GetProperty("holder").GetString(), line.GetProperty("holderName").GetString()));
        Assert.Equal((outAt, w.WindowToMs, w.ApplicationId), (line.GetProperty("sinceMs").GetInt64(), line.GetProperty("untilMs").GetInt64(), line.GetProperty("applicationId").GetString()));
        Assert.False(line.GetProperty("overdue").GetBoolean());
        Assert.False(line.GetProperty("fromCheckout").GetBoolean()); // moved outside the checkout flow: inferred from the approved application
        Assert.Equal("in-use", line.GetProperty("state").GetString());
        Assert.Equal("广东省分公司", line.GetProperty("unitName").GetString());

        // The window closes while the seal is still out: overdue.
        await using (DbConnection connection = await _cloud.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE applications SET window_to_ms = @to WHERE id = @id", new { to = outAt + 1, id = w.ApplicationId });
        }

        Assert.True((await LineAsync(auditor, w.GdSeal)).GetProperty("overdue").GetBoolean());

        // Back in a cabinet compartment: in, nobody holds it, nothing is due.
        await MoveAsync(w.GdSeal, SealLocationKind.Cabinet, "cab-gd-01/3", outAt + 10);
        JsonElement back = await LineAsync(auditor, w.GdSeal);
        Assert.Equal(("cabinet", false, false), (back.GetProperty("locationKind").GetString(), back.GetProperty("out").GetBoolean(), back.GetProperty("overdue").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, back.GetProperty("holder").ValueKind);
        Assert.Contains("cab-gd-01/3", back.GetProperty("where").GetString(), StringComparison.Ordinal);

        // Scope: the 浙江 keeper's board has its own seal only; one line of another province is "not found".
        HttpClient zjKeeper = await w.SignInAsync(w.ZjKeeper);
        JsonElement zjBoard = await zjKeeper.GetFromJsonAsync<JsonElement>("/api/seals/board");
        Assert.Equal([w.ZjSeal], zjBoard.EnumerateArray().Select(l => l.GetProperty("sealId").GetString()));
        await OrgWorld.AssertProblemAsync(await zjKeeper.GetAsync($"/api/seals/board/{w.GdSeal}"), HttpStatusCode.NotFound, "no seal");
        Assert.Equal(w.GdSeal, (await auditor.GetFromJsonAsync<JsonElement>($"/api/seals/board/{w.GdSeal}")).GetProperty("sealId").GetString());
    }

    [Fact]
    public async Task A_seal_out_on_a_checkout_shows_the_checkouts_holder_times_and_due()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        long outAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
        long due = outAt + 7_200_000;
        await using (DbConnection connection = await _cloud.Service<Database>().OpenAsync())
        {
            // The approval opened the application's checkout (awaiting collection); a cabinet's dispense marks it out, as Checkouts/ does.
            Assert.Equal(1, await connection.ExecuteAsync(
                "UPDATE checkouts SET status = 'out', device_id = 'cab-gd-01', compartment = 2, out_ms = @outAt, due_ms = @due, updated_ms = @outAt WHERE application_id = @app AND holder = @holder",
                new { app = w.ApplicationId, holder = w.Applicant, outAt, due }));
        }

        await MoveAsync(w.GdSeal, SealLocationKind.Person, w.Applicant, outAt + 5);
        JsonElement line = await LineAsync(await w.SignInAsync(w.GdAuditor), w.GdSeal);
        Assert.Equal((true, true, w.Applicant), (line.GetProperty("out").GetBoolean(), line.GetProperty("fromCheckout").GetBoolean(), line.GetProperty("holder").GetString()));
        Assert.Equal((outAt, due, w.ApplicationId), (line.GetProperty("sinceMs").GetInt64(), line.GetProperty("untilMs").GetInt64(), line.GetProperty("applicationId").GetString()));
        Assert.False(line.GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task A_location_change_is_published_as_a_seal_location_event_on_the_live_feed()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        HttpClient admin = _cloud.AdminClient();
        using HttpResponseMessage response = await admin.GetAsync($"/api/events/stream?device=seal:{w.GdSeal}", HttpCompletionOption.ResponseHeadersRead);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync());

        // A hand-over to a person through the API publishes by itself.
        HttpResponseMessage handed = await admin.PostAsJsonAsync($"/api/seals/{w.GdSeal}/custody", new { custodian = w.Owner, reason = "外出签约", withPerson = true });
        Assert.Equal(HttpStatusCode.OK, handed.StatusCode);
        JsonElement line = await NextLineAsync(events, w.GdSeal, "person");
        Assert.Equal((w.GdSeal, "person", w.Owner, true), (line.GetProperty("sealId").GetString(), line.GetProperty("locationKind").GetString(), line.GetProperty("holder").GetString(), line.GetProperty("out").GetBoolean()));

        // The orchestration moves the seal in its own transaction, then calls the notifier.
        await MoveAsync(w.GdSeal, SealLocationKind.Cabinet, "cab-gd-01/1", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await _cloud.Service<SealBoardNotifier>().LocationChangedAsync(w.GdSeal);
        JsonElement second = await NextLineAsync(events, w.GdSeal, "cabinet");
        Assert.Equal(("cabinet", "cab-gd-01/1"), (second.GetProperty("locationKind").GetString(), second.GetProperty("locationRef").GetString()));

        // A writer that does not call the notifier (another code path, another instance): the watcher publishes the change.
        SealBoardWatcher watcher = _cloud.Service<SealBoardWatcher>();
        await watcher.PollAsync(); // learns the current state if it had not yet
        await MoveAsync(w.GdSeal, SealLocationKind.Lock, w.Device, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await watcher.PollAsync(); // or its own timer, whichever looks first
        JsonElement third = await NextLineAsync(events, w.GdSeal, "lock");
        Assert.Equal(("lock", w.Device, w.Applicant), (third.GetProperty("locationKind").GetString(), third.GetProperty("locationRef").GetString(), third.GetProperty("holder").GetString()));
        Assert.Equal(0, await watcher.PollAsync()); // published once
    }

    [Fact]
    public async Task A_keeper_watching_the_live_feed_sees_only_the_seals_of_their_own_units()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        HttpClient zjKeeper = await w.SignInAsync(w.ZjKeeper);
        using HttpResponseMessage response = await zjKeeper.GetAsync("/api/events/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync());

        // Guangdong's seal moves first: a Zhejiang keeper's stream must skip it and show Zhejiang's.
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await MoveAsync(w.GdSeal, SealLocationKind.Cabinet, "cab-gd-09/2", now);
        await _cloud.Service<SealBoardNotifier>().LocationChangedAsync(w.GdSeal);
        await MoveAsync(w.ZjSeal, SealLocationKind.Cabinet, "cab-zj-09/3", now);
        await _cloud.Service<SealBoardNotifier>().LocationChangedAsync(w.ZjSeal);
        SseEvent first = await events.NextAsync(e => e.Event == SealBoardNotifier.EventName);
        Assert.Equal(w.ZjSeal, JsonDocument.Parse(first.Data).RootElement.GetProperty("sealId").GetString());
    }

    [Fact]
    public async Task A_seal_back_from_a_lock_trip_with_the_keeper_is_in_custody_without_the_trips_due_time()
    {
        SealOffice office = await SealOffice.CreateAsync(new OrgWorld(_cloud));
        string lockId = OrgWorld.Unique("lock");
        await _cloud.ProvisionAsync(lockId);
        string applicationId = await office.ApprovedApplicationAsync(Checkouts.CheckoutEndToEndTests.Request(office.SealId, "lock", stamps: 2));
        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/bind", new { lockId })).StatusCode);
        JsonElement during = await LineAsync(office.KeeperClient, office.SealId);
        Assert.True(during.GetProperty("out").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, during.GetProperty("untilMs").ValueKind);

        // The tour's return: the keeper takes the seal back from the lock without putting it in a cabinet.
        Assert.Equal(HttpStatusCode.OK, (await office.KeeperClient.PostAsJsonAsync($"/api/checkouts/{applicationId}/return", new { })).StatusCode);
        JsonElement after = await LineAsync(office.KeeperClient, office.SealId);
        Assert.Equal("person", after.GetProperty("locationKind").GetString());
        Assert.False(after.GetProperty("out").GetBoolean(), after.ToString());
        Assert.True(after.GetProperty("returnedToKeeper").GetBoolean());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("untilMs").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("applicationId").ValueKind);
        Assert.False(after.GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task An_applicant_reads_the_board_of_the_seals_they_may_apply_for_and_no_other()
    {
        var org = new OrgWorld(_cloud);
        SealOffice office = await SealOffice.CreateAsync(org);
        SealOffice elsewhere = await SealOffice.CreateAsync(org);

        // The seal belongs to the applicant's parent unit: their own units' scope does not reach it, the application form does.
        Assert.DoesNotContain((await office.ApplicantClient.GetFromJsonAsync<JsonElement>("/api/seals/board")).EnumerateArray(), l => l.GetProperty("sealId").GetString() == office.SealId);
        JsonElement[] lines = (await office.ApplicantClient.GetFromJsonAsync<JsonElement>("/api/seals/board?applicable=true")).EnumerateArray().ToArray();
        JsonElement line = Assert.Single(lines, l => l.GetProperty("sealId").GetString() == office.SealId);
        Assert.False(line.GetProperty("out").GetBoolean());
        Assert.DoesNotContain(lines, l => l.GetProperty("sealId").GetString() == elsewhere.SealId);
    }
}
