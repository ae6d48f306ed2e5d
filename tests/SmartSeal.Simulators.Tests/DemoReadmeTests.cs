using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SmartSeal.Simulators.Tests;

/// <summary>
/// Every command of tools/SmartSeal.Demo/README.md's command block, run as a reader would, against a
/// data folder of its own (<c>SMARTSEAL_DEMO_DATA</c>), then the tour once more on the same data: the
/// tour must run twice in a row. What must change to run here, and nothing else: <c>./scripts/run.sh</c>
/// is the built demo (run.sh only sets up and builds first), ports are free ones, and a run that would
/// go on until Ctrl+C gets <c>--duration 2</c> (seconds of live view, counted after the start and the
/// tour). A command line the test does not know fails it, so the README and this test stay in step.
/// </summary>
public sealed partial class DemoReadmeTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("smartseal-demo-").FullName;
    private readonly int _http = FreePort();
    private readonly int _mqtt = FreePort();

    [Fact]
    public async Task Every_command_in_the_demo_readme_runs_and_the_tour_runs_twice_in_a_row()
    {
        string root = ReadmeCommandTests.RepositoryRoot();
        List<string> lines = ReadmeCommandTests.CommandBlock(File.ReadAllText(Path.Combine(root, "tools", "SmartSeal.Demo", "README.md")));
        Assert.Equal(7, lines.Count);
        var intact = new List<int>();
        foreach (string line in lines)
        {
            string[] args = Arguments(line);
            (int exit, string output) = await RunAsync(root, args);
            Assert.True(exit == 0, $"`{line}` exited {exit}:\n{output}");
            Assert.DoesNotContain("demo stopped", output, StringComparison.Ordinal);
            if (args.Contains("--help"))
            {
                Assert.Contains("--tour", output, StringComparison.Ordinal);
                Assert.Contains("--reset", output, StringComparison.Ordinal);
            }
            else if (args.Contains("--protocol-tour"))
            {
                Assert.Contains("replay", output, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                // The demo came up: the cloud answered, the people and devices were set up, the live view ran.
                Assert.Contains("how to look", output, StringComparison.Ordinal);
                Assert.Contains("what the cloud sees", output, StringComparison.Ordinal);
                if (args.Contains("--tour"))
                {
                    intact.Add(LedgerEntries(line, output));
                }
            }
        }

        // The tour once more on the data the README's last tour left: it continues from there.
        (int again, string second) = await RunAsync(root, Arguments("./scripts/run.sh --tour"));
        Assert.True(again == 0, $"the second tour in a row exited {again}:\n{second}");
        intact.Add(LedgerEntries("the second tour in a row", second));
        Assert.True(intact[^1] > intact[^2], $"the second tour adds to the ledger: {string.Join(" → ", intact)} entries");
        Assert.Contains("0 active alarm(s)", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistyped_option_is_an_error_and_starts_nothing()
    {
        (int exit, string output) = await RunAsync(ReadmeCommandTests.RepositoryRoot(), ["--tuor"]);

        Assert.NotEqual(0, exit);
        Assert.Contains("--tuor", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_data));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A device process may still be closing a log; the temp folder is the system's to clean.
        }
    }

    private string[] Arguments(string line)
    {
        string command = line.Split('#')[0].Trim();
        const string Run = "./scripts/run.sh";
        Assert.True(command.StartsWith(Run, StringComparison.Ordinal), $"the test does not know `{line}`");
        var args = command[Run.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        int http = args.IndexOf("--http-port");
        if (http >= 0)
        {
            args[http + 1] = _http.ToString(System.Globalization.CultureInfo.InvariantCulture);
            args[args.IndexOf("--mqtt-port") + 1] = _mqtt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (!args.Contains("--help") && !args.Contains("--protocol-tour"))
        {
            args.AddRange(["--http-port", _http.ToString(System.Globalization.CultureInfo.InvariantCulture), "--mqtt-port", _mqtt.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        int duration = args.IndexOf("--duration");
        if (duration >= 0)
        {
            args[duration + 1] = "2";
        }
        else if (!args.Contains("--help") && !args.Contains("--protocol-tour"))
        {
            args.AddRange(["--duration", "2"]);
        }

        return [.. args];
    }

    private static int LedgerEntries(string line, string output)
    {
        Match verified = IntactLine().Match(output);
        Assert.True(verified.Success, $"`{line}`: the tour ends with the ledger verified intact:\n{output}");
        return int.Parse(verified.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<(int Exit, string Output)> RunAsync(string root, string[] args)
    {
        string demo = Path.Combine(root, "tools", "SmartSeal.Demo", "bin", "Release", "net10.0", "SmartSeal.Demo.dll");
        Assert.True(File.Exists(demo), $"{demo} is missing: build the solution first (scripts/test.sh does)");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(demo);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["SMARTSEAL_DEMO_DATA"] = _data;
        start.Environment["COLUMNS"] = "200";
        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, "did not finish in 8 minutes:\n" + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex(@"intact: true, (\d+) entries", RegexOptions.IgnoreCase)]
    private static partial Regex IntactLine();
}
