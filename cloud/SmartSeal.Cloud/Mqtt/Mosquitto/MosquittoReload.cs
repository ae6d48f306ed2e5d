using System.Diagnostics;

namespace SmartSeal.Cloud.Mqtt.Mosquitto;

/// <summary>Mosquitto rereads its password and ACL files on SIGHUP and ends open sessions whose password changed or vanished.</summary>
public static class MosquittoReload
{
    public static void Signal(string pidFile)
    {
        string pid = File.ReadLines(pidFile).First().Trim();
        if (!int.TryParse(pid, out _))
        {
            throw new InvalidOperationException($"{pidFile} does not hold a process id");
        }

        // .NET sends no signals other than SIGKILL; kill(1) is on every POSIX system.
        using Process kill = Process.Start(new ProcessStartInfo("kill", ["-HUP", pid]) { UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -HUP {pid} failed with {kill.ExitCode}");
        }
    }
}
