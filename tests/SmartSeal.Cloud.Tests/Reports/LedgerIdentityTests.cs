using System.Data.Common;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Reports;

/// <summary>
/// The ledger and its exports name the approver and the person who acted with the unit and post they had
/// when the entry was written (the rules want them as they were), not as the register has them today.
/// </summary>
public class LedgerIdentityTests(CloudFactory cloud) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    [Fact]
    public async Task An_approval_is_printed_with_the_approvers_post_at_the_time_after_they_change_post()
    {
        ReportsWorld w = await ReportsWorld.CreateAsync(_cloud);
        HttpClient applicant = await w.SignInAsync(w.Applicant);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        HttpResponseMessage applied = await applicant.PostAsJsonAsync("/api/applications", new
        {
            sealId = w.GdSeal, purpose = "核对身份快照", documents = new[] { new { name = "合同.pdf", pages = 1 } }, stamps = 1, mode = "cabinet",
            windowFromMs = now, windowToMs = now + 86_400_000, urgency = "normal",
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, applied.StatusCode);
        string applicationId = (await applied.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        HttpResponseMessage approved = await (await w.SignInAsync(w.Head)).PostAsJsonAsync($"/api/approvals/{applicationId}/approve", new { });
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());

        await SetPostAsync(w.Head, "已调任");

        string csv = (await w.Org.Admin.GetStringAsync($"/api/ledger/export.csv?application={applicationId}")).TrimStart('\uFEFF');
        List<string[]> rows = CsvText.Parse(csv);
        int executor = Array.FindIndex(LedgerCsvWriter.Header, h => h.EndsWith(" executor", StringComparison.Ordinal));
        string[] decision = rows.Skip(1).Single(r => r.Any(c => c.Contains("decision=approved", StringComparison.Ordinal)));
        Assert.Equal($"用户 {w.Head} · 深圳市分公司 · 印章管理员", decision[executor]);
        Assert.DoesNotContain(rows.Skip(1), r => r[executor].Contains("已调任", StringComparison.Ordinal));
    }

    private async Task SetPostAsync(string login, string post)
    {
        await using DbConnection connection = await _cloud.Services.GetRequiredService<Database>().OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE users SET post = @post WHERE login = @login";
        foreach ((string key, string value) in new[] { ("post", post), ("login", login) })
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = "@" + key;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
