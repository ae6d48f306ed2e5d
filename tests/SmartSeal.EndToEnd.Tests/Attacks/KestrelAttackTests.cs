using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmartSeal.EndToEnd.Tests.Attacks;

/// <summary>
/// Attacks on the HTTP front door of the cloud running as a real process behind Kestrel (so the
/// server's own limits and URL handling are what is tested, not the in-process test server's):
/// a password-guessing run, path traversal with raw, unnormalised request lines, oversized and
/// absurd requests. Nothing may succeed, nothing may answer 5xx, the process logs no error.
/// </summary>
public sealed class KestrelAttackTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _data = RestartableCloud.NewDataDirectory();
    private CloudProcess _cloud = null!;

    public async Task InitializeAsync() => _cloud = await CloudProcess.StartAsync(_data, CloudFactory.FreePort(), CloudFactory.FreePort());

    public Task DisposeAsync()
    {
        _cloud.Dispose();
        RestartableCloud.DeleteDataDirectory(_data);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Guessing_a_password_locks_the_account_and_no_guess_and_not_even_the_right_password_gets_in()
    {
        SealOffice office = await HttpSealOffice.CreateAsync(_cloud);
        using var http = new HttpClient { BaseAddress = new Uri(_cloud.BaseUrl) };
        var answers = new Dictionary<int, int>();
        string[] guesses = ["123456", "password", "Password1!", "Correct-Horse-41", "Correct-Horse-43", "admin", office.Applicant, "qwerty123", "印章管理员", "Correct-Horse-42 "];
        foreach (string guess in guesses.Concat(Enumerable.Range(0, 20).Select(i => $"Guess-{i:00}-abcdef")))
        {
            HttpResponseMessage response = await http.PostAsJsonAsync("/api/auth/login", new { login = office.Applicant, password = guess });
            answers[(int)response.StatusCode] = answers.GetValueOrDefault((int)response.StatusCode) + 1;
        }

        HttpResponseMessage right = await http.PostAsJsonAsync("/api/auth/login", new { login = office.Applicant, password = OrgWorld.Password });
        output.WriteLine($"{answers.Values.Sum()} guesses: " + string.Join(", ", answers.Select(a => $"{a.Key}: {a.Value}")) + $"; then the right password: {(int)right.StatusCode}");
        Assert.Equal(4, answers.GetValueOrDefault(401));
        Assert.Equal(answers.Values.Sum() - 4, answers.GetValueOrDefault(423));
        Assert.Equal((HttpStatusCode)423, right.StatusCode);
        Assert.Empty(_cloud.Errors);
    }

    [Fact]
    public async Task Path_traversal_in_photo_ledger_seal_and_device_ids_never_reads_a_file_and_never_fails_the_server()
    {
        string[] targets =
        [
            "/api/photos/../../../../etc/passwd",
            "/api/photos/..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/api/photos/%2e%2e%2f%2e%2e%2fsmartseal.db",
            "/api/photos/%2E%2E/%2E%2E/admin-api.key",
            "/api/photos/..%5c..%5csmartseal.db",
            "/api/photos/devices/..%2f..%2f/smartseal.db",
            "/api/photos/devices/lock-1/..%2f..%2f..%2fetc%2fpasswd",
            "/api/photos/devices/../../smartseal.db",
            "/api/photos/attempts/%2e%2e%2f%2e%2e%2fmaster.key",
            "/api/photos/" + new string('a', 64) + "/../../../smartseal.db",
            "/api/photos/" + new string('a', 64) + "%00.jpg",
            "/api/photos/%00",
            "/api/ledger/..%2f..%2fsmartseal.db",
            "/api/seals/..%2F..%2Fadmin-api.key",
            "/api/devices/..%2f..%2fmaster.key/track",
            "/api/checkouts/....//....//etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/api/photos/" + new string('/', 2000),
        ];
        var answers = new List<string>();
        foreach (string target in targets)
        {
            (int status, string body) = await RawGetAsync(target);
            answers.Add($"{status} {target[..Math.Min(target.Length, 80)]}");
            // A search by a hostile id may answer 200 with nothing found; anything else must be a 4xx.
            string content = body.Split("\r\n\r\n", 2)[^1].Trim();
            Assert.True(status is >= 400 and < 500 || (status == 200 && content.EndsWith("[]", StringComparison.Ordinal)), $"{target}: {status} {content}");
            Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
            Assert.DoesNotContain("SQLite format", body, StringComparison.Ordinal);
            Assert.DoesNotContain(CloudFactory.AdminKey, body, StringComparison.Ordinal);
        }

        output.WriteLine(string.Join("\n", answers));
        Assert.Empty(_cloud.Errors);
    }

    [Fact]
    public async Task Oversized_bodies_huge_headers_and_absurd_json_are_refused_with_4xx()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_cloud.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        var answers = new List<string>();

        // 40 MB of JSON at the anonymous sign-in: over Kestrel's request body limit.
        string huge = "{\"login\":\"x\",\"password\":\"" + new string('p', 40 * 1024 * 1024) + "\"}";
        int oversized = await StatusOrRefusedAsync(() => http.PostAsync("/api/auth/login", new StringContent(huge, Encoding.UTF8, "application/json")));
        answers.Add($"40 MB body: {oversized}");
        Assert.Equal(413, oversized);

        // 2 MB: under the limit, but no password is that long.
        HttpResponseMessage large = await http.PostAsJsonAsync("/api/auth/login", new { login = "x", password = new string('p', 2 * 1024 * 1024) });
        answers.Add($"2 MB password: {(int)large.StatusCode}");
        Assert.InRange((int)large.StatusCode, 400, 499);

        // JSON nested 100,000 deep, and a body that claims to be JSON and is not.
        HttpResponseMessage deep = await http.PostAsync("/api/auth/login", new StringContent(new string('[', 100_000) + new string(']', 100_000), Encoding.UTF8, "application/json"));
        answers.Add($"nesting 100,000: {(int)deep.StatusCode}");
        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        HttpResponseMessage binary = await http.PostAsync("/api/auth/login", new ByteArrayContent([0xFF, 0xFE, 0x00, 0x7B]) { Headers = { ContentType = new("application/json") } });
        answers.Add($"binary body: {(int)binary.StatusCode}");
        Assert.Equal(HttpStatusCode.BadRequest, binary.StatusCode);

        // A 64 KB header.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.TryAddWithoutValidation("X-Junk", new string('h', 64 * 1024));
        int headers = await StatusOrRefusedAsync(() => http.SendAsync(request));
        answers.Add($"64 KB header: {headers}");
        Assert.Equal(431, headers);

        // A bearer token that is 100 KB of garbage, and a forged user token.
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        bearer.Headers.TryAddWithoutValidation("Authorization", "Bearer sst_" + new string('A', 20_000));
        int badBearer = await StatusOrRefusedAsync(() => http.SendAsync(bearer));
        answers.Add($"20 KB bearer: {badBearer}");
        Assert.Equal(401, badBearer);

        output.WriteLine(string.Join("\n", answers));
        await Task.Delay(200); // absence window: Kestrel would log a connection error after the response; nothing to await
        Assert.Empty(_cloud.Errors);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Document_uploads_refuse_oversized_and_non_pdf_bodies_and_traversal_in_application_and_document_ids_finds_nothing()
    {
        SealOffice office = await HttpSealOffice.CreateAsync(_cloud);
        HttpResponseMessage submitted = await office.ApplicantClient.PostAsJsonAsync("/api/applications", Mission.Request(office.SealId, "lock", 1));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        string applicationId = (await submitted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        string uploads = $"/api/applications/{applicationId}/documents";
        var answers = new List<string>();

        async Task<int> UploadAsync(string what, byte[] content, string fileName)
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", fileName } };
            int status = await StatusOrRefusedAsync(() => office.ApplicantClient.PostAsync(uploads, form));
            answers.Add($"{what}: {status}");
            return status;
        }

        Assert.Equal(413, await UploadAsync("25 MB upload", new byte[25 * 1024 * 1024], "big.pdf"));
        Assert.Equal(400, await UploadAsync("text named .pdf with a traversal file name", Encoding.UTF8.GetBytes("not a pdf"), "../../../../tmp/smartseal-e2e-escape.pdf"));
        Assert.Equal(400, await UploadAsync("PDF header, damaged body", Encoding.ASCII.GetBytes("%PDF-1.7\n" + new string('x', 5000)), "damaged.pdf"));
        HttpResponseMessage notMultipart = await office.ApplicantClient.PostAsync(uploads, new StringContent("{}", Encoding.UTF8, "application/json"));
        answers.Add($"JSON instead of multipart: {(int)notMultipart.StatusCode}");
        Assert.Equal(HttpStatusCode.BadRequest, notMultipart.StatusCode);
        Assert.False(File.Exists("/tmp/smartseal-e2e-escape.pdf"));

        string token = office.ApplicantClient.DefaultRequestHeaders.Authorization!.Parameter!;
        foreach (string target in new[]
        {
            $"/api/applications/{applicationId}/documents/..%2f..%2f..%2fsmartseal.db/approved-copy",
            $"/api/applications/{applicationId}/documents/../../../smartseal.db/approved-copy",
            $"/api/applications/{applicationId}/documents/%2e%2e%2f%2e%2e%2fmaster.key/approved-copy",
            "/api/applications/..%2f..%2fsmartseal.db/documents",
            "/api/applications/%2e%2e/documents",
        })
        {
            (int status, string body) = await RawGetAsync(target, token);
            answers.Add($"{status} {target}");
            Assert.InRange(status, 400, 499);
            Assert.DoesNotContain("SQLite format", body, StringComparison.Ordinal);
        }

        output.WriteLine(string.Join("\n", answers));
        Assert.Empty(_cloud.Errors);
    }

    /// <summary>The status, or 413 when Kestrel answered and closed the connection while the client was still sending.</summary>
    private static async Task<int> StatusOrRefusedAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using HttpResponseMessage response = await send();
            return (int)response.StatusCode;
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            return 413;
        }
    }

    /// <summary>A GET with the request line exactly as given (HttpClient would normalise the dots away), as the admin unless told.</summary>
    private async Task<(int Status, string Body)> RawGetAsync(string target, string bearer = CloudFactory.AdminKey)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _cloud.HttpPort);
        await using NetworkStream stream = tcp.GetStream();
        byte[] request = Encoding.ASCII.GetBytes($"GET {target} HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {bearer}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string response = await reader.ReadToEndAsync();
        string[] statusLine = response.Split("\r\n", 2)[0].Split(' ');
        return (int.Parse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture), response);
    }
}
