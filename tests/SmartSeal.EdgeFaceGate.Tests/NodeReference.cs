using System.Diagnostics;

namespace SmartSeal.EdgeFaceGate.Tests;

/// <summary>Runs the Node reference tools (TensorFlow.js, face-api.js) that the conversion tests compare against.</summary>
internal static class NodeReference
{
    /// <summary>The node executable on PATH; fails the test when it is missing (setup.sh installs it).</summary>
    public static string Node() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "node")).FirstOrDefault(File.Exists)
        ?? throw new Xunit.Sdk.XunitException("node is not on PATH: run scripts/setup.sh");

    /// <summary>Runs node with <paramref name="arguments"/>, fails the test on a non-zero exit, returns the non-empty stdout lines.</summary>
    public static string[] Run(IEnumerable<string> arguments)
    {
        ProcessStartInfo start = new(Node()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Xunit.Assert.True(process.ExitCode == 0, $"node failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
