using System.Diagnostics;

namespace SmartSeal.Cloud.Tests.ESeals;

/// <summary>Runs a verifier the project did not write (openssl, pdfsig, qpdf) and returns what it printed (stdout, then stderr).</summary>
public static class ExternalTool
{
    /// <summary>
    /// What <c>qpdf --check</c> finds in a PDF, file name and offsets left out (PDFsharp's own Flate
    /// streams draw "input stream is complete" warnings in any document it wrote); throws when qpdf fails.
    /// </summary>
    public static IReadOnlyList<string> QpdfFindings(byte[] pdf)
    {
        string path = Path.Combine(Path.GetTempPath(), $"qpdf-{Guid.NewGuid():n}.pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            string output = Run("qpdf", "--check", path);
            Assert.True(output.Contains("No syntax or stream encoding errors found", StringComparison.Ordinal) || output.Contains("operation succeeded with warnings", StringComparison.Ordinal), output);
            return output.Split('\n').Where(line => line.StartsWith("WARNING", StringComparison.Ordinal) || line.StartsWith("ERROR", StringComparison.Ordinal))
                .Select(line => System.Text.RegularExpressions.Regex.Replace(line.Replace(path, "file", StringComparison.Ordinal), @"\(offset \d+\)|object \d+ \d+", string.Empty)).Order().ToList();
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static string Run(string name, params string[] arguments)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Result + error;
    }
}
