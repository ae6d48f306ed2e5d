using System.Diagnostics;

namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>Runs the real admin CLI (<c>dotnet smartseal-cloud.dll verb ...</c>) as its own process on a data directory, as an operator would.</summary>
public static class CloudCliProcess
{
    public static async Task<(int Exit, string Text)> RunAsync(
        ITestOutputHelper output, string dataDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "smartseal-cloud.dll");
        var start = new ProcessStartInfo("dotnet", [cli, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["SmartSeal__DataDirectory"] = dataDirectory;
        start.Environment["SmartSeal__MasterKey"] = Convert.ToHexString(CloudFactory.MasterKey);
        start.Environment["SmartSeal__AdminApiKey"] = CloudFactory.AdminKey;
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string text = await stdout + await stderr;
        output.WriteLine($"smartseal-cloud {string.Join(' ', arguments)} -> {process.ExitCode}\n{text}");
        return (process.ExitCode, text);
    }
}
