using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;

namespace SmartSeal.Cloud.Tests.FollowUps;

/// <summary>Urge and step hand-over on PostgreSQL: their queries (V013, ON CONFLICT ... RETURNING, the inbox UNION) on the other database.</summary>
public sealed class FollowUpsOnPostgresTests(ITestOutputHelper output) : PostgresHostTest(output)
{
    [Fact]
    public async Task On_PostgreSQL_an_overdue_step_is_urged_once_and_a_handed_step_is_approved_by_the_colleague()
    {
        if (Cloud is null)
        {
            return;
        }

        var org = new OrgWorld(Cloud);
        await org.EnsureRootAsync();
        string unit = await org.UnitAsync("gd", "hq");
        string keeper = await org.UserAsync("keeper.f", unit, "keeper");
        string head = await org.UserAsync("head.f", unit, "approver");
        string applicant = await org.UserAsync("applicant.f", unit, "applicant");
        HttpClient keeperClient = await org.SignInAsync(keeper);
        Assert.Equal(HttpStatusCode.Created, (await keeperClient.PostAsJsonAsync("/api/seals", new { id = "gd-company", name = "公章", type = "company", unitId = unit, level = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keeperClient.PostAsJsonAsync("/api/seals/gd-company/transitions", new { action = "engrave" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keeperClient.PostAsJsonAsync("/api/seals/gd-company/transitions", new { action = "activate", rfidTag = "E28011AA000000F1" })).StatusCode);
        string colleague = await org.UserAsync("colleague.f", await org.UnitAsync("gd-dept", unit), "approver");

        HttpClient applicantClient = await org.SignInAsync(applicant);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        HttpResponseMessage submitted = await applicantClient.PostAsJsonAsync("/api/applications", new
        {
            sealId = "gd-company", purpose = "函件", documents = new[] { new { name = "函.pdf", pages = 1 } }, stamps = 1, mode = "cabinet", windowFromMs = now, windowToMs = now + 3_600_000,
        });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        string id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await OrgWorld.AssertProblemAsync(await applicantClient.PostAsync($"/api/applications/{id}/urge", null), HttpStatusCode.Conflict, "no overdue step");
        await using (DbConnection connection = await Cloud.Service<Database>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE applications SET step_due_ms = 1000 WHERE id = @id", new { id });
        }

        Assert.Equal(HttpStatusCode.OK, (await applicantClient.PostAsync($"/api/applications/{id}/urge", null)).StatusCode);
        await OrgWorld.AssertProblemAsync(await applicantClient.PostAsync($"/api/applications/{id}/urge", null), HttpStatusCode.Conflict, "already urged");

        HttpClient headClient = await org.SignInAsync(head);
        Assert.Equal(HttpStatusCode.OK, (await headClient.PostAsJsonAsync($"/api/approvals/{id}/delegate", new { toLogin = colleague })).StatusCode);
        await OrgWorld.AssertProblemAsync(await headClient.PostAsJsonAsync($"/api/approvals/{id}/delegate", new { toLogin = colleague }), HttpStatusCode.Conflict, "already");
        HttpClient colleagueClient = await org.SignInAsync(colleague);
        JsonElement inbox = await colleagueClient.GetFromJsonAsync<JsonElement>("/api/approvals/inbox");
        Assert.Equal(1, inbox.GetProperty("total").GetInt64());
        Assert.Equal(id, inbox.GetProperty("items")[0].GetProperty("applicationId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await colleagueClient.PostAsJsonAsync($"/api/approvals/{id}/approve", new { })).StatusCode);
        JsonElement after = await colleagueClient.GetFromJsonAsync<JsonElement>("/api/approvals/inbox");
        Assert.True(after.GetProperty("total").GetInt64() == 0, after.ToString());

        JsonElement followUps = await colleagueClient.GetFromJsonAsync<JsonElement>($"/api/applications/{id}/follow-ups");
        Assert.Equal((1, 1), (followUps.GetProperty("urges").GetArrayLength(), followUps.GetProperty("delegations").GetArrayLength()));
    }
}
