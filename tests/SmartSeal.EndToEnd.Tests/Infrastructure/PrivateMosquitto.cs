using System.Diagnostics;
using System.Net.Sockets;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Mqtt.Mosquitto;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A Mosquitto of one test's own (loopback, free port, files in a temporary folder), with the
/// password and ACL files the cloud's CLI would write for the given devices and cloud accounts.
/// Private so that Cloud.Tests' broker tests, which rewrite the scripted broker's files, cannot
/// take the accounts away mid-run.
/// </summary>
public sealed class PrivateMosquitto : IDisposable
{
    /// <summary>Device passwords in the password file carry this fixed expiry (as `devices mosquitto-auth` writes them).</summary>
    public const long FixedExpiry = 4_102_444_800;

    private Process _process;

    private PrivateMosquitto(Process process, string folder, int port)
    {
        _process = process;
        Folder = folder;
        Port = port;
    }

    public string Folder { get; }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public static bool IsInstalled => File.Exists("/usr/sbin/mosquitto");

    /// <summary>The password a device presents (the deterministic one of its key version 1).</summary>
    public static string DevicePassword(string deviceId) =>
        MosquittoAuthFiles.DevicePassword(deviceId, SmartSeal.Protocol.Security.DeviceKeys.Derive(CloudFactory.MasterKey, deviceId, 1), FixedExpiry);

    public static async Task<PrivateMosquitto> StartAsync(IEnumerable<string> deviceIds, IReadOnlyList<(string User, string Password)> cloudAccounts)
    {
        string folder = Path.Combine(Path.GetTempPath(), "smartseal-mosquitto-" + Guid.NewGuid().ToString("n")[..10]);
        Directory.CreateDirectory(folder);
        var keys = new DeviceKeyring(new MasterKey(CloudFactory.MasterKey));
        MosquittoAuthFiles.Write(
            folder,
            MosquittoAuthFiles.PasswordFile(deviceIds.Select(id => new Device { Id = id, Kind = DeviceKind.Lock }), keys, FixedExpiry, cloudAccounts),
            MosquittoAuthFiles.AclFile(cloudAccounts.Select(a => a.User)));
        int port = CloudFactory.FreePort();
        string conf = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllLinesAsync(conf,
        [
            "per_listener_settings false",
            "allow_anonymous false",
            $"password_file {folder}/{MosquittoAuthFiles.PasswordFileName}",
            $"acl_file {folder}/{MosquittoAuthFiles.AclFileName}",
            "persistence false",
            "max_queued_messages 100000",
            "max_inflight_messages 1000",
            "log_type error",
            "log_type warning",
            Environment.UserName == "root" ? "user root" : "# not root",
            .. ShippedLimits(listener: false),
            $"listener {port} 127.0.0.1",
            .. ShippedLimits(listener: true),
            "use_username_as_clientid true",
            "set_tcp_nodelay true",
        ]);
        var broker = new PrivateMosquitto(Launch(folder), folder, port);
        try
        {
            await broker.WaitListeningAsync();
            return broker;
        }
        catch (InvalidOperationException)
        {
            broker.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The limits the project ships for Mosquitto (cloud/mosquitto/limits.conf): its global lines,
    /// or its <c>#listener-option</c> lines without the mark.
    /// </summary>
    public static IEnumerable<string> ShippedLimits(bool listener)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "SmartSeal.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("SmartSeal.sln not found above " + AppContext.BaseDirectory);
        }

        const string Mark = "#listener-option ";
        foreach (string line in File.ReadLines(Path.Combine(directory.FullName, "cloud", "mosquitto", "limits.conf")))
        {
            if (listener ? line.StartsWith(Mark, StringComparison.Ordinal) : line.Length > 0 && !line.StartsWith('#'))
            {
                yield return listener ? line[Mark.Length..] : line;
            }
        }
    }

    /// <summary>The broker process dies at once (SIGKILL): every connection drops, in-flight messages with it.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    /// <summary>Starts the broker again on the same port with the same accounts (after <see cref="Kill"/>).</summary>
    public async Task StartAgainAsync()
    {
        _process.Dispose();
        _process = Launch(Folder);
        await WaitListeningAsync();
    }

    private static Process Launch(string folder)
    {
        var start = new ProcessStartInfo("/usr/sbin/mosquitto", ["-c", Path.Combine(folder, "mosquitto.conf")]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start mosquitto");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitListeningAsync()
    {
        for (int i = 0; i < 100; i++)
        {
            if (Listening(Port))
            {
                return;
            }

            await Task.Delay(50); // poll interval: the mosquitto process is starting
        }

        throw new InvalidOperationException("mosquitto did not start listening on " + Port);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
