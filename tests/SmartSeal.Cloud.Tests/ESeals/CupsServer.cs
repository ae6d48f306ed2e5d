using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>
/// A private CUPS scheduler for the remote-print tests (Debian's cups-daemon and cups-client, from
/// scripts/setup.sh): its own configuration, spool and port in a temp directory, one raw queue
/// whose device is <c>file:///dev/null</c>, and <c>PreserveJobFiles</c>, so each job's data stays in
/// the spool as <c>d{job:00000}-001</c> where the tests read what was printed. One per test process;
/// stopped when the process ends.
/// </summary>
public static class CupsServer
{
    public const string Queue = "eseal-test";

    private static readonly Lazy<(string Address, string Spool)> Started = new(Start);

    /// <summary>host:port of the scheduler, for lp -h.</summary>
    public static string Address => Started.Value.Address;

    /// <summary>The data the queue received for a job ("eseal-test-7").</summary>
    public static byte[] JobData(string jobId) =>
        File.ReadAllBytes(Path.Combine(Started.Value.Spool, $"d{int.Parse(jobId[(jobId.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture):00000}-001"));

    /// <summary>The jobs the queue has taken, pending or done.</summary>
    public static IReadOnlyList<string> Jobs() =>
        ExternalTool.Run("lpstat", "-h", Address, "-W", "all", "-o", Queue).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2)[0]).Where(id => id.StartsWith(Queue + "-", StringComparison.Ordinal)).ToList();

    /// <summary>The settings that send a cloud's remote print to this scheduler; the second printer is configured but unknown to CUPS.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["SmartSeal:ESealing:CupsServer"] = Address,
        ["SmartSeal:ESealing:Printers:0"] = Queue,
        ["SmartSeal:ESealing:Printers:1"] = "not-in-cups",
    };

    private static (string, string) Start()
    {
        string root = Path.Combine(Path.GetTempPath(), "smartseal-cups", Guid.NewGuid().ToString("n"));
        foreach (string folder in new[] { "spool/tmp", "cache", "state", "log" })
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
        }

        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        File.WriteAllText(Path.Combine(root, "cupsd.conf"), $"""
            Listen 127.0.0.1:{port}
            LogLevel warn
            WebInterface No
            PreserveJobFiles Yes
            <Location />
              Order allow,deny
              Allow all
            </Location>
            <Location /admin>
              Order allow,deny
              Allow all
            </Location>
            <Policy default>
              <Limit All>
                Order deny,allow
              </Limit>
            </Policy>
            """);
        File.WriteAllText(Path.Combine(root, "cups-files.conf"), $"""
            FileDevice Yes
            ServerRoot {root}
            RequestRoot {root}/spool
            TempDir {root}/spool/tmp
            CacheDir {root}/cache
            StateDir {root}/state
            ErrorLog {root}/log/error_log
            AccessLog {root}/log/access_log
            PageLog {root}/log/page_log
            ServerBin /usr/lib/cups
            DataDir /usr/share/cups
            """);
        if (!File.Exists("/usr/sbin/cupsd"))
        {
            throw new InvalidOperationException("/usr/sbin/cupsd is missing: the remote-print tests need Debian's cups-daemon and cups-client. Run scripts/setup.sh.");
        }

        // cupsd runs under a shell that stops it when this process's end closes the shell's standard
        // input (the test host may be killed rather than exit, and then no exit handler runs).
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-c", "/usr/sbin/cupsd -f -c \"$0\" -s \"$1\" & c=$!; read _; kill $c", Path.Combine(root, "cupsd.conf"), Path.Combine(root, "cups-files.conf") })
        {
            start.ArgumentList.Add(argument);
        }

        Process cupsd = Process.Start(start)!;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cupsd.StandardInput.Close();
        string address = $"127.0.0.1:{port}";
        Eventually.Async(() => cupsd.HasExited || ExternalTool.Run("lpstat", "-h", address, "-r").Contains("scheduler is running", StringComparison.Ordinal), "cupsd to start").GetAwaiter().GetResult();
        if (cupsd.HasExited)
        {
            throw new InvalidOperationException("cupsd stopped: " + cupsd.StandardError.ReadToEnd() + File.ReadAllText(Path.Combine(root, "log", "error_log")));
        }

        string added = ExternalTool.Run("lpadmin", "-h", address, "-p", Queue, "-v", "file:///dev/null", "-E");
        if (!ExternalTool.Run("lpstat", "-h", address, "-p", Queue).Contains("enabled", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the test queue was not added: " + added);
        }

        return (address, Path.Combine(root, "spool"));
    }
}

/// <summary>A cloud with its e-seal keys on its own SoftHSM token and remote print to the private CUPS.</summary>
public sealed class ESealPrintCloudFactory : CloudFactory
{
    private readonly string _tokenLabel = SoftHsm.NewTokenLabel();

    protected override IDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?>(SoftHsm.Settings(_tokenLabel).Concat(CupsServer.Settings()));
}
