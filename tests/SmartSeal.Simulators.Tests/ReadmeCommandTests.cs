using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using SmartSeal.Simulators.Devices;

namespace SmartSeal.Simulators.Tests;

/// <summary>
/// Every command of simulators/README.md's command block, run as a reader would paste it (through
/// bash, with the README's <c>$S</c>), so a command the README prints keeps working. What must change
/// to run here is rewritten by the table in <see cref="Rewrite"/> and nothing else: the broker the
/// README calls <c>127.0.0.1:1883</c> / <c>10.0.0.5:1883</c> is this class's broker, ports are free
/// ones, durations 3 s, fleets 20 locks, <c>$S</c> the built simulator instead of <c>dotnet run</c>
/// (which would rebuild), curl fails on an HTTP error. Commands that run until Ctrl+C are started,
/// must come up (connect to the broker, listen, or answer on the control port) and stay up for the
/// commands after them, then are stopped. A command line the test does not know fails it, so the
/// README and this test stay in step.
/// </summary>
public class ReadmeCommandTests(BrokerFixture fixture) : SimulatorTest(fixture)
{
    private const string ReadmeS = "dotnet run --project simulators/SmartSeal.Simulators -c Release --";

    [Fact]
    public async Task Every_command_in_the_simulators_readme_runs_and_succeeds()
    {
        string root = RepositoryRoot();
        List<string> lines = CommandBlock(File.ReadAllText(Path.Combine(root, "simulators", "README.md")));
        Assert.Equal($"S=\"{ReadmeS}\"", lines[0]);

        string work = Directory.CreateTempSubdirectory("smartseal-readme-").FullName;
        var ports = new Dictionary<string, int> { ["7101"] = SmartSeal.Simulators.Host.EmbeddedBroker.FreeLoopbackPort(), ["1883"] = Fixture.Broker.Port, ["broker"] = Host.EmbeddedBroker.FreeLoopbackPort() };
        File.WriteAllText(Path.Combine(work, "lock-0001.json"), ProvisioningJson("lock-0001"));
        File.WriteAllBytes(Path.Combine(work, "page-photo.jpg"), new SceneCamera("page", page: true, SceneCamera.Vga, () => 0).Capture());
        var running = new List<(string Line, Process Process)>();
        var ran = new List<string>();
        try
        {
            foreach (string line in lines.Skip(1))
            {
                if (line == "dotnet test tests/SmartSeal.Simulators.Tests -c Release")
                {
                    continue; // this very test suite
                }

                string command = Rewrite(line, root, ports);
                if (RunsUntilStopped(line))
                {
                    long accepted = Fixture.Broker.AcceptedConnections;
                    Process process = Start(command, work);
                    running.Add((line, process));
                    await UpAsync(line, process, ports, accepted);
                }
                else
                {
                    (int exit, string output) = await RunAsync(command, work);
                    Assert.True(exit == 0, $"`{line}` exited {exit}:\n{output}");
                }

                ran.Add(line);
                foreach ((string started, Process process) in running)
                {
                    Assert.False(process.HasExited, $"`{started}` stopped by itself (exit {(process.HasExited ? process.ExitCode : 0)})");
                }
            }
        }
        finally
        {
            foreach ((_, Process process) in running)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }

            Directory.Delete(work, recursive: true);
        }

        Assert.True(ran.Count >= 12, $"only {ran.Count} commands found in the README's block");
    }

    /// <summary>The lines of the first ```bash block, without comments and blank lines.</summary>
    internal static List<string> CommandBlock(string markdown)
    {
        Match block = Regex.Match(markdown, "```bash\n(.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "no ```bash block");
        return block.Groups[1].Value.Split('\n')
            .Select(l => Regex.Replace(l, @"\s+#\s.*$", string.Empty).Trim())
            .Where(l => l.Length > 0)
            .ToList();
    }

    /// <summary>The only changes made to a README line before bash runs it.</summary>
    private static string Rewrite(string line, string root, Dictionary<string, int> ports)
    {
        string simulator = Path.Combine(root, "simulators", "SmartSeal.Simulators", "bin", "Release", "net10.0", "SmartSeal.Simulators.dll");
        string master = Convert.ToHexString(DeviceProvisioning.DemoMasterKey);
        string command = line
            .Replace("$S ", $"dotnet {simulator} ", StringComparison.Ordinal)
            .Replace("simulators/scenarios/", Path.Combine(root, "simulators", "scenarios") + "/", StringComparison.Ordinal)
            .Replace("10.0.0.5:1883", "127.0.0.1:1883", StringComparison.Ordinal)
            .Replace("127.0.0.1:1883", $"127.0.0.1:{ports["1883"]}", StringComparison.Ordinal)
            .Replace("--port 1883", $"--port {ports["broker"]}", StringComparison.Ordinal)
            .Replace("7101", ports["7101"].ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("<64 hex>", master, StringComparison.Ordinal)
            .Replace("curl ", "curl -sS --fail ", StringComparison.Ordinal);
        command = Regex.Replace(command, @"--duration \d+", "--duration 3");
        command = Regex.Replace(command, @"--count \d+", "--count 20");
        Assert.DoesNotContain("dotnet run", command);
        return command;
    }

    /// <summary>Live devices and the broker alone run until Ctrl+C (no scenario, no duration).</summary>
    private static bool RunsUntilStopped(string line) =>
        line.StartsWith("$S ", StringComparison.Ordinal) && !line.Contains("--scenario") && !line.Contains("--duration") && !line.StartsWith("$S measure", StringComparison.Ordinal);

    /// <summary>Waits until a long-running command is up: its control port answers, its broker port listens, or its device logged in.</summary>
    private async Task UpAsync(string line, Process process, Dictionary<string, int> ports, long acceptedBefore)
    {
        Func<Task<bool>> up = line switch
        {
            _ when line.Contains("--control-port") => async () => await AnswersAsync($"http://127.0.0.1:{ports["7101"]}/state"),
            _ when line.StartsWith("$S broker", StringComparison.Ordinal) => () => Task.FromResult(Listens(ports["broker"])),
            _ => () => Task.FromResult(Fixture.Broker.AcceptedConnections > acceptedBefore),
        };
        await Eventually.Async(async () => process.HasExited || await up(), $"`{line}` is up", TimeSpan.FromSeconds(60));
        Assert.False(process.HasExited, $"`{line}` exited {(process.HasExited ? process.ExitCode : 0)}:\n{string.Join('\n', Output.TakeLast(30))}");
    }

    /// <summary>What the long-running commands printed (for a failure message).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> Output = new();

    private static bool Listens(int port) =>
        System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Any(e => e.Port == port);

    private static async Task<bool> AnswersAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return (await http.GetAsync(url)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static Process Start(string command, string work)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = work, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => Output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string command, string work)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = work, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("set -e; " + command);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, command + "\n" + await output + await error);
    }

    private string ProvisioningJson(string id) => System.Text.Json.JsonSerializer.Serialize(new
    {
        format = 1,
        deviceId = id,
        kind = "lock",
        keyVersion = 1,
        keyHex = Convert.ToHexString(DeviceProvisioning.FromMaster(Fixture.MasterKey, id).Key).ToLowerInvariant(),
        broker = new { host = "127.0.0.1", port = Fixture.Broker.Port, tls = false },
        cellular = new { apn = "cmiot" },
    });


    internal static string RepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "SmartSeal.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("SmartSeal.sln not found above " + AppContext.BaseDirectory);
    }
}
