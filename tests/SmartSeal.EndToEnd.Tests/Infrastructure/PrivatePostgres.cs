using System.Diagnostics;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own (initdb in a temporary folder, loopback, free port), so
/// the test can stop and start the server under a running cloud without touching the scripted
/// server every other test shares. Uses the server binaries scripts/setup.sh installs; as root the
/// tools run as the postgres account (PostgreSQL refuses root).
/// </summary>
public sealed class PrivatePostgres : IDisposable
{
    private readonly string _bin;

    private PrivatePostgres(string bin, string folder, int port)
    {
        _bin = bin;
        Folder = folder;
        Port = port;
    }

    public string Folder { get; }

    public int Port { get; }

    /// <summary>The server's maintenance database (trust authentication on 127.0.0.1).</summary>
    public string ServerConnectionString => $"Host=127.0.0.1;Port={Port};Username=smartseal;Database=postgres";

    public static string? BinDirectory =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null;

    private static bool IsRoot => Environment.UserName == "root";

    public static async Task<PrivatePostgres> StartAsync()
    {
        string bin = BinDirectory ?? throw new InvalidOperationException("PostgreSQL server binaries not found (scripts/setup.sh installs them)");
        string folder = Path.Combine(Path.GetTempPath(), "smartseal-pg-" + Guid.NewGuid().ToString("n")[..10]);
        Directory.CreateDirectory(folder);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", folder]);
        }

        var server = new PrivatePostgres(bin, folder, SmartSeal.Cloud.Tests.Infrastructure.CloudFactory.FreePort());
        await server.AsPostgresAsync("initdb", ["-D", Path.Combine(folder, "data"), "-U", "smartseal", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        await server.StartServerAsync();
        return server;
    }

    /// <summary><c>pg_ctl start</c> on the same port, waiting until it accepts connections.</summary>
    public Task StartServerAsync() => AsPostgresAsync("pg_ctl",
    [
        "-D", Path.Combine(Folder, "data"), "-l", Path.Combine(Folder, "server.log"), "-w", "-t", "60", "start",
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c max_connections=200",
    ]);

    /// <summary><c>pg_ctl stop -m fast</c>: open sessions are cut off, transactions in progress roll back.</summary>
    public Task StopServerAsync() => AsPostgresAsync("pg_ctl", ["-D", Path.Combine(Folder, "data"), "-m", "fast", "-w", "stop"]);

    public void Dispose()
    {
        try
        {
            StopServerAsync().GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // not running
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task AsPostgresAsync(string tool, string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments]) : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stdout} {await stderr}");
        }
    }
}
