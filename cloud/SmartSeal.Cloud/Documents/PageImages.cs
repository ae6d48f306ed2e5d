using System.Diagnostics;
using System.Globalization;

namespace SmartSeal.Cloud.Documents;

/// <summary>
/// One page of a PDF as a PNG, by poppler's <c>pdftoppm</c> (Debian <c>poppler-utils</c>), for the
/// portal's previews and the approved page shown beside a stamp's photos. A process, like the OCR:
/// a bad PDF cannot take the cloud down, and a timeout bounds it.
/// </summary>
public static class PageImages
{
    public static async Task<byte[]> RenderAsync(byte[] pdf, int page, int dpi, CancellationToken cancellationToken)
    {
        string dir = Directory.CreateTempSubdirectory("smartseal-page-").FullName;
        try
        {
            string input = Path.Combine(dir, "in.pdf");
            await File.WriteAllBytesAsync(input, pdf, cancellationToken);
            var start = new ProcessStartInfo("pdftoppm") { RedirectStandardError = true, UseShellExecute = false };
            string number = page.ToString(CultureInfo.InvariantCulture);
            foreach (string arg in new[] { "-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", number, "-l", number, "-png", "-singlefile", input, Path.Combine(dir, "out") })
            {
                start.ArgumentList.Add(arg);
            }

            using Process process = Process.Start(start) ?? throw new InvalidOperationException("pdftoppm did not start");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("pdftoppm took longer than 20 s");
            }

            string output = Path.Combine(dir, "out.png");
            if (process.ExitCode != 0 || !File.Exists(output))
            {
                throw new InvalidOperationException($"pdftoppm failed ({process.ExitCode}): {(await process.StandardError.ReadToEndAsync(cancellationToken)).Trim()}");
            }

            return await File.ReadAllBytesAsync(output, cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("pdftoppm cannot be run — install poppler-utils (scripts/setup.sh): " + e.Message, e);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
