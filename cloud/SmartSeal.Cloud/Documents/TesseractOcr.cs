using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.Documents;

/// <summary>OCR failed or took too long: the photo gets an "unreadable" verdict, never a crash.</summary>
public sealed class OcrFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Runs the Debian <c>tesseract</c> CLI on an image (Chinese + English by default), with a timeout.
/// A process rather than a binding: no NuGet wrapper for the Debian libtesseract is served, and a
/// hung or crashing OCR stays outside the cloud process.
/// </summary>
public sealed class TesseractOcr(IOptions<DocumentOptions> options)
{
    private readonly DocumentOptions _options = options.Value;

    public Task<string> ReadAsync(byte[] png, CancellationToken cancellationToken) => RunAsync(png, tsv: false, cancellationToken);

    /// <summary>
    /// The words tesseract read with their confidence (0–100) and box in the image (its TSV output):
    /// what the page check's <see cref="TextDiff"/> aligns with the approved text.
    /// </summary>
    public async Task<OcrPage> ReadWordsAsync(byte[] png, CancellationToken cancellationToken) =>
        OcrPage.FromTsv(await RunAsync(png, tsv: true, cancellationToken));

    private async Task<string> RunAsync(byte[] png, bool tsv, CancellationToken cancellationToken)
    {
        string input = Path.Combine(Path.GetTempPath(), "smartseal-ocr-" + Guid.NewGuid().ToString("n") + ".png");
        await File.WriteAllBytesAsync(input, png, cancellationToken);
        try
        {
            var start = new ProcessStartInfo(_options.TesseractPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardOutputEncoding = System.Text.Encoding.UTF8,
            };
            start.ArgumentList.Add(input);
            start.ArgumentList.Add("stdout");
            start.ArgumentList.Add("-l");
            start.ArgumentList.Add(_options.OcrLanguages);
            start.ArgumentList.Add("--psm");
            start.ArgumentList.Add(_options.OcrPageSegmentation.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // One thread per OCR: photos are checked in parallel instead, which is steadier on few cores.
            start.Environment["OMP_THREAD_LIMIT"] = "1";
            if (tsv)
            {
                start.ArgumentList.Add("tsv");
            }

            using Process process = Process.Start(start) ?? throw new OcrFailedException("tesseract did not start");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.OcrTimeoutSeconds));
            Task<string> output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            Task<string> errors = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                string text = await output;
                if (process.ExitCode != 0)
                {
                    throw new OcrFailedException($"tesseract exited with {process.ExitCode}: {(await errors).Trim()}");
                }

                return text;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new OcrFailedException($"OCR took longer than {_options.OcrTimeoutSeconds} s");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new OcrFailedException($"tesseract ({_options.TesseractPath}) cannot be run: {e.Message} — install tesseract-ocr (scripts/setup.sh)", e);
        }
        finally
        {
            File.Delete(input);
        }
    }
}
