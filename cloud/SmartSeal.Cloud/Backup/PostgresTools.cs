using System.Diagnostics;
using Npgsql;

namespace SmartSeal.Cloud.Backup;

/// <summary>
/// Runs PostgreSQL's own client tools (<c>pg_dump</c>, <c>pg_restore</c>) against the configured
/// database: found on the PATH or in <c>/usr/lib/postgresql/*/bin</c> (newest first); connection
/// details go in PG* environment variables, so the password never appears in a process list.
/// </summary>
public static class PostgresTools
{
    public static async Task<string> RunAsync(string tool, string connectionString, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Find(tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGHOST"] = connection.Host;
        start.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = connection.Database;
        start.Environment["PGUSER"] = connection.Username;
        if (connection.Password is { Length: > 0 } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        using Process process = Process.Start(start) ?? throw new BackupException($"{tool} did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        string text = (await output) + (await errors);
        return process.ExitCode == 0 ? text : throw new BackupException($"{tool} failed (exit {process.ExitCode}): {text.Trim()}");
    }

    private static string Find(string tool)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, tool)))
            {
                return Path.Combine(directory, tool);
            }
        }

        string? installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", tool)).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out int v) ? v : 0).FirstOrDefault()
            : null;
        return installed ?? throw new BackupException($"{tool} not found (install the PostgreSQL client: apt-get install postgresql-client)");
    }
}
