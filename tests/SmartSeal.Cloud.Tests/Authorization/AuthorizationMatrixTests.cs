using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SmartSeal.Cloud.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmartSeal.Cloud.Tests.Authorization;

/// <summary>
/// Issue 15: every endpoint the running cloud maps (its <c>EndpointDataSource</c>) is asked by an
/// anonymous caller, a role without the right, the right role of the other province and the right
/// role of the right province, and must answer 401 (or the sign-in redirect), 403, 403/404 (or a
/// list without the other province's objects) and success. An endpoint without a policy or without
/// a row in <see cref="AuthorizationMatrix"/> fails the inventory test by name.
/// </summary>
public partial class AuthorizationMatrixTests(CloudFactory cloud, ITestOutputHelper output) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    [Fact]
    public void Every_mapped_endpoint_has_authorization_metadata_and_a_row_in_the_matrix()
    {
        IReadOnlyList<MappedEndpoint> endpoints = EndpointInventory.Of(_cloud.Services);
        var rows = AuthorizationMatrix.All.Select(r => r.Key).ToList();
        var problems = EndpointInventory.Problems(endpoints, rows).ToList();
        problems.AddRange(rows.Where(key => endpoints.All(e => e.Key != key)).Select(key => $"row {key} matches no mapped endpoint"));
        problems.AddRange(rows.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => $"row {g.Key} appears {g.Count()} times"));
        output.WriteLine($"{endpoints.Count} mapped endpoints, {rows.Count} rows");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task A_planted_endpoint_without_a_policy_or_a_row_is_reported_by_name()
    {
        using var planted = new PlantedEndpointFactory();
        _ = planted.Server;
        IReadOnlyList<string> problems = EndpointInventory.Problems(EndpointInventory.Of(planted.Services), AuthorizationMatrix.All.Select(r => r.Key).ToList());
        Assert.Contains(problems, p => p.StartsWith("GET /api/planted ", StringComparison.Ordinal) && p.Contains("no authorization metadata", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("GET /api/planted ", StringComparison.Ordinal) && p.Contains("no row", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.StartsWith("GET /api/planted ", p, StringComparison.Ordinal)); // the real endpoints pass
        Assert.Equal("open to anyone", await planted.CreateClient().GetStringAsync("/api/planted")); // it is served: the hole is real
    }

    [Fact]
    public async Task Every_endpoint_refuses_anonymous_callers_wrong_roles_and_other_units_and_serves_the_right_caller()
    {
        var clock = Stopwatch.StartNew();
        MatrixWorld world = await MatrixWorld.CreateAsync(_cloud);
        using HttpClient anonymous = _cloud.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var failures = new List<string>();
        var report = new StringBuilder();
        int cases = 0;
        foreach (MatrixRow row in AuthorizationMatrix.All)
        {
            MatrixRequest request = row.Request is null ? new MatrixRequest(PathOf(row.Key)) : await row.Request(world);
            var line = new StringBuilder(row.Key);
            void Check(string who, Answer answer, bool ok, string expected)
            {
                cases++;
                line.Append(Label(who)).Append((int)answer.Status);
                if (!ok)
                {
                    failures.Add($"{row.Key} as {who}: expected {expected}, got {(int)answer.Status} {Truncate(answer.Body)}");
                }
            }

            Answer anon = await SendAsync(anonymous, row, request);
            switch (row.Gate)
            {
                case Gate.Anonymous:
                    Check("anonymous", anon, anon.Status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)anon.Status < 500, "an answer (open by design)");
                    break;
                case Gate.Page:
                    Check("anonymous", anon, anon.Status == HttpStatusCode.Redirect && anon.Location?.Contains("/Account/SignIn", StringComparison.Ordinal) == true, "302 to /Account/SignIn");
                    break;
                default:
                    Check("anonymous", anon, anon.Status == HttpStatusCode.Unauthorized, "401");
                    break;
            }

            if (row.WrongRole is { } wrong)
            {
                Answer answer = await SendAsync(world[wrong], row, request);
                Check(wrong, answer, row.DeniedPerItem ? DeniedPerItem(answer) : answer.Status == HttpStatusCode.Forbidden, row.DeniedPerItem ? "2xx with 403/404 per item" : "403");
            }

            if (row.OtherUnit is { } other)
            {
                Answer answer = await SendAsync(world[other], row, request);
                bool ok = row.DeniedPerItem ? DeniedPerItem(answer)
                    : row.HiddenFromOtherUnit is { } hidden ? answer.IsSuccess && !answer.Body.Contains(hidden(world), StringComparison.Ordinal)
                    : answer.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden
                        && (AuthorizationMatrix.RightNotFoundMentions(row) is not { } mention || !answer.Body.Contains(mention, StringComparison.Ordinal));
                Check(other, answer, ok, row.HiddenFromOtherUnit != null ? "2xx without the other unit's object" : "403 or 404");
            }

            if (row.Gate != Gate.Page)
            {
                Answer answer = await SendAsync(world[row.Right], row, request, request.RightAuthorization);
                bool ok = (row.Success is { } expected ? expected.Contains((int)answer.Status) : answer.IsSuccess)
                    && (AuthorizationMatrix.RightNotFoundMentions(row) is not { } mention || answer.Body.Contains(mention, StringComparison.Ordinal));
                Check(row.Right, answer, ok, row.Success is { } s ? string.Join("/", s) : "2xx");
            }

            report.AppendLine(line.ToString());
        }

        output.WriteLine(report.ToString());
        output.WriteLine($"{AuthorizationMatrix.All.Count} endpoints, {cases} cases, {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    private static string Label(string who) => $"  {who}=";

    private static bool DeniedPerItem(Answer answer) => answer.IsSuccess && DeniedItem().IsMatch(answer.Body);

    private static string PathOf(string key) => PathParameter().Replace(key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..], "1");

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static async Task<Answer> SendAsync(HttpClient client, MatrixRow row, MatrixRequest request, string? authorization = null)
    {
        using var message = new HttpRequestMessage(row.Method, request.Path) { Content = request.Content() };
        if (authorization != null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using HttpResponseMessage response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        string body = string.Empty;
        if (response.Content.Headers.ContentType?.MediaType is not ("text/event-stream" or "application/pdf" or "image/png" or "image/jpeg"))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            body = await response.Content.ReadAsStringAsync(timeout.Token);
        }

        return new Answer(response.StatusCode, body, response.Headers.Location?.ToString());
    }

    [GeneratedRegex("\\{[^}]+\\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex("\"status\"\\s*:\\s*40[34]")]
    private static partial Regex DeniedItem();

    private sealed record Answer(HttpStatusCode Status, string Body, string? Location)
    {
        public bool IsSuccess => (int)Status is >= 200 and < 300;
    }

    /// <summary>The cloud with one more endpoint, mapped without a policy, as a careless change would add it.</summary>
    private sealed class PlantedEndpointFactory : CloudFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, PlantedEndpoint>());
        }

        private sealed class PlantedEndpoint : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                app.UseRouting();
                app.UseEndpoints(endpoints => endpoints.MapGet("/api/planted", () => "open to anyone"));
            };
        }
    }
}
