using System.Net;
using System.Net.Sockets;
using Spectre.Console;

namespace SmartSeal.Demo;

/// <summary>The demo's data folder (<c>.demo/</c>): where a run continues the last, and how to start afresh.</summary>
internal static class DemoData
{
    public const string Folder = ".demo";

    /// <summary>Where the data lives: <c>.demo/</c> under the repository, or <c>SMARTSEAL_DEMO_DATA</c>
    /// (so a second copy, or a test, keeps its data apart from the developer's).</summary>
    public static string PathUnder(string root) =>
        Environment.GetEnvironmentVariable("SMARTSEAL_DEMO_DATA") is { Length: > 0 } chosen ? Path.GetFullPath(chosen, root) : Path.Combine(root, Folder);

    /// <summary>Wipes the folder after asking (or at once with <paramref name="yes"/>); false when it was kept.</summary>
    public static bool Reset(string root, int httpPort, bool yes)
    {
        string folder = PathUnder(root);
        if (!Directory.Exists(folder))
        {
            AnsiConsole.MarkupLineInterpolated($"reset: {folder} does not exist; nothing to wipe");
            return true;
        }

        if (PortInUse(httpPort))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]reset refused:[/] 127.0.0.1:{httpPort} is in use — is a demo still running? Stop it (Ctrl+C) first.");
            return false;
        }

        if (!yes)
        {
            if (Console.IsInputRedirected)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]reset refused:[/] it asks before wiping {folder}; add --yes to wipe without asking");
                return false;
            }

            if (!AnsiConsole.Confirm($"Wipe {Markup.Escape(folder)} (the cloud's database, photos, keys, device flash, logs)?", defaultValue: false))
            {
                AnsiConsole.MarkupLine("reset: kept");
                return false;
            }
        }

        Directory.Delete(folder, recursive: true);
        AnsiConsole.MarkupLineInterpolated($"reset: {folder} wiped; this run seeds everything afresh");
        return true;
    }

    /// <summary>Whether something already listens on the loopback port (a demo still running, most likely).</summary>
    public static bool PortInUse(int port)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
