using System.Diagnostics;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>
/// Azurite's blob service (npm, pinned in <c>tools/azurite</c>) on a free loopback port with its own
/// temporary folder, for the Azure Blob photo store tests. Installs the npm package when it is
/// missing (as <c>scripts/setup.sh</c> does); only a machine without Node.js skips these tests.
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    /// <summary>Azurite's fixed development account (public, documented by Microsoft; not a secret).</summary>
    private const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _location = Path.Combine(Path.GetTempPath(), "smartseal-azurite", Guid.NewGuid().ToString("n"));
    private Process? _process;

    /// <summary>Why the blob tests cannot run here (no Node.js), or null when they can.</summary>
    public static string? UnavailableReason { get; } = FindOnPath("node") is null || FindOnPath("npm") is null
        ? "Node.js (node and npm) is not installed, so Azurite cannot run: install it (scripts/setup.sh does) to test the Azure Blob photo store"
        : null;

    public int Port { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public async Task InitializeAsync()
    {
        if (UnavailableReason != null)
        {
            return;
        }

        string tool = Path.Combine(RepositoryRoot(), "tools", "azurite");
        string executable = Path.Combine(tool, "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(executable))
        {
            await RunAsync("npm", $"ci --prefix \"{tool}\" --no-audit --no-fund --loglevel=error", TimeSpan.FromMinutes(5));
        }

        Directory.CreateDirectory(_location);

        // A free port can be taken by another test's server between choosing it and Azurite binding
        // it; then the port answers, but not as Azurite. Only Azurite's own answer counts.
        for (int attempt = 1; ; attempt++)
        {
            Port = CloudFactory.FreePort();
            _process = Start(executable);
            if (await AnswersAsAzuriteAsync(_process))
            {
                return;
            }

            await StopAsync();
            Assert.True(attempt < 5, $"azurite-blob did not come up on a port of its own after {attempt} attempts");
        }
    }

    private Process Start(string executable)
    {
        Process process = Process.Start(new ProcessStartInfo(executable)
        {
            ArgumentList = { "--location", _location, "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--silent", "--loose" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until the port answers HTTP with Azurite's <c>Server</c> header; false when the process died or something else answers.</summary>
    private async Task<bool> AnswersAsAzuriteAsync(Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        DateTime until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                return false;
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync($"http://127.0.0.1:{Port}/devstoreaccount1?comp=list");
                return response.Headers.Server.ToString().StartsWith("Azurite", StringComparison.Ordinal);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100); // Azurite (a separate process) is not listening yet: retry until it answers
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    private async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder; the OS cleans it
        }
    }

    private static async Task RunAsync(string file, string arguments, TimeSpan timeout)
    {
        using Process process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {await errors}");
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SmartSeal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SmartSeal.sln not found above " + AppContext.BaseDirectory);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

/// <summary>A theory that needs Azurite: skipped, saying why, only where Node.js is missing.</summary>
public sealed class AzuriteTheoryAttribute : TheoryAttribute
{
    public AzuriteTheoryAttribute()
    {
        if (AzuriteServer.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A fact that needs Azurite: skipped, saying why, only where Node.js is missing.</summary>
public sealed class AzuriteFactAttribute : FactAttribute
{
    public AzuriteFactAttribute()
    {
        if (AzuriteServer.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
