using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The cloud as a real operating-system process (<c>dotnet smartseal-cloud.dll</c>, configured by
/// environment as an operator would), so a test can kill it with SIGKILL — no shutdown code runs,
/// whatever was in memory is gone — and start it again on the same data directory and ports.
/// </summary>
public sealed class CloudProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private readonly IReadOnlyDictionary<string, string> _settings;

    private CloudProcess(string dataDirectory, int mqttPort, int httpPort, IReadOnlyDictionary<string, string>? settings)
    {
        _settings = settings ?? new Dictionary<string, string>();
        DataDirectory = dataDirectory;
        MqttPort = mqttPort;
        HttpPort = httpPort;

        _process = Process.Start(StartInfo([])) ?? throw new InvalidOperationException("could not start the cloud");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string DataDirectory { get; }

    public int MqttPort { get; }

    public int HttpPort { get; }

    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";

    public int Id => _process.Id;

    /// <summary>Lines the process wrote (stdout and stderr).</summary>
    public IReadOnlyCollection<string> Output => _output.ToArray();

    /// <summary>Lines at error level or worse ("fail:" / "crit:" in the simple console format).</summary>
    public IEnumerable<string> Errors => Output.Where(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal));

    /// <summary>
    /// Starts the cloud and waits until it answers ready. <paramref name="settings"/> are extra
    /// environment variables (<c>SmartSeal__Database__Provider</c>, <c>SmartSeal__Mqtt__Mode</c>...).
    /// </summary>
    public static async Task<CloudProcess> StartAsync(string dataDirectory, int mqttPort, int httpPort, IReadOnlyDictionary<string, string>? settings = null)
    {
        CloudProcess cloud = Launch(dataDirectory, mqttPort, httpPort, settings);
        await cloud.WaitReadyAsync();
        return cloud;
    }

    /// <summary>Starts the cloud without waiting for it (a fault may hit it while it is still starting; <see cref="WaitReadyAsync"/> waits).</summary>
    public static CloudProcess Launch(string dataDirectory, int mqttPort, int httpPort, IReadOnlyDictionary<string, string>? settings = null) =>
        new(dataDirectory, mqttPort, httpPort, settings);

    /// <summary>Waits until the process answers ready on <c>/health/ready</c>.</summary>
    public async Task WaitReadyAsync()
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        DateTime until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(_process.HasExited, "the cloud exited:\n" + string.Join("\n", Output.TakeLast(30)));
            try
            {
                if ((await probe.GetAsync(BaseUrl + "/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Assert.True(DateTime.UtcNow < until, "the cloud did not become ready:\n" + string.Join("\n", Output.TakeLast(30)));
            await Task.Delay(100); // poll interval: the cloud process is starting
        }
    }

    /// <summary>
    /// Runs the cloud's CLI (<c>smartseal-cloud devices ...</c>) as its own process with this
    /// cloud's configuration, as an operator would next to the running host.
    /// </summary>
    public async Task<(int ExitCode, string Output)> RunCliAsync(params string[] args)
    {
        using Process cli = Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("could not start the CLI");
        Task<string> stdout = cli.StandardOutput.ReadToEndAsync();
        Task<string> stderr = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        return (cli.ExitCode, await stdout + await stderr);
    }

    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CloudFactory.AdminKey);
        return client;
    }

    /// <summary>Its database, opened directly (SQLite in the data directory, or the PostgreSQL it was given) for what the API does not show.</summary>
    public Database Database() => _settings.TryGetValue("SmartSeal__Database__ConnectionString", out string? postgres)
        ? new(DatabaseProvider.Postgres, postgres)
        : new(DatabaseProvider.Sqlite, "Data Source=" + Path.Combine(DataDirectory, "smartseal.db"));

    /// <summary>SIGKILL: no graceful shutdown, no flush, no last words.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        Assert.True(_process.WaitForExit(10_000), "the cloud did not die");
        Assert.NotEqual(0, _process.ExitCode);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }

    /// <summary>The host (no arguments) or the CLI, configured by environment as an operator would.</summary>
    private ProcessStartInfo StartInfo(string[] args)
    {
        // The cloud is referenced by this project, so its build output sits next to the tests.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "smartseal-cloud.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = BaseUrl;
        start.Environment["SmartSeal__DataDirectory"] = DataDirectory;
        start.Environment["SmartSeal__Mqtt__Port"] = MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["SmartSeal__MasterKey"] = Convert.ToHexString(CloudFactory.MasterKey);
        start.Environment["SmartSeal__AdminApiKey"] = CloudFactory.AdminKey;
        start.Environment["SmartSeal__Alarms__RuleInterval"] = "01:00:00";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach ((string name, string value) in _settings)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private void Keep(string? line)
    {
        if (line != null)
        {
            _output.Enqueue(line);
        }
    }
}
