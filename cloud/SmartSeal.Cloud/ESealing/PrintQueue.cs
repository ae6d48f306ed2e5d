using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.ESealing;

/// <summary>The printer could not take the job (unknown queue, CUPS down, lp failed).</summary>
public sealed class PrintFailedException(string message) : Exception(message);

/// <summary>Where printed copies go: a printer queue that takes one PDF and answers a job id.</summary>
public interface IPrintQueue
{
    Task<string> SubmitAsync(string printer, byte[] pdf, string title, CancellationToken cancellationToken);
}

/// <summary>
/// CUPS through its own client, <c>lp</c> (production and tests alike: the tests run a private
/// cupsd with a file-device queue). The PDF goes on standard input, raw, one copy per job, so
/// every copy has its own number and its own job.
/// </summary>
public sealed partial class CupsPrintQueue(IOptions<ESealingOptions> options) : IPrintQueue
{
    public async Task<string> SubmitAsync(string printer, byte[] pdf, string title, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.Value.LpPath) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        if (!string.IsNullOrWhiteSpace(options.Value.CupsServer))
        {
            start.ArgumentList.Add("-h");
            start.ArgumentList.Add(options.Value.CupsServer);
        }

        foreach (string argument in new[] { "-d", printer, "-t", title, "-n", "1", "-o", "raw", "-" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new PrintFailedException($"{options.Value.LpPath} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PrintFailedException($"{options.Value.LpPath} is missing: {e.Message}");
        }

        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(pdf, cancellationToken);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // lp refused before reading the document (unknown queue, no scheduler): its exit code and message say why.
            }

            await process.WaitForExitAsync(cancellationToken);
            string said = (await output).Trim(), error = (await errors).Trim();
            return process.ExitCode == 0 && RequestId().Match(said) is { Success: true } match
                ? match.Groups[1].Value
                : throw new PrintFailedException($"lp -d {printer} failed ({process.ExitCode}): {(error.Length > 0 ? error : said)}");
        }
    }

    [GeneratedRegex(@"request id is (\S+)")]
    private static partial Regex RequestId();
}
