using System.Diagnostics;

namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>
/// Mosquitto's command-line clients (<c>mosquitto_pub</c>, <c>mosquitto_sub</c>; Debian package
/// <c>mosquitto-clients</c>): an MQTT client the project did not write, so the broker's answers
/// are checked against someone else's reading of the protocol.
/// </summary>
public static class MosquittoClients
{
    public static bool IsInstalled => File.Exists("/usr/bin/mosquitto_pub") && File.Exists("/usr/bin/mosquitto_sub");

    /// <summary>Runs one of the tools as an MQTT 5 client of a device (username = client id) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, int port, string deviceId, string password, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv5", "-i", deviceId, "-u", deviceId, "-P", password }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + tool);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
