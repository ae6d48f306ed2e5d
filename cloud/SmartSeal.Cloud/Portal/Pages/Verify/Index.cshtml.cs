using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.ESealing;

namespace SmartSeal.Cloud.Portal.Pages.Verify;

/// <summary>
/// 验证电子印章: anyone (no sign-in) uploads a sealed PDF and sees each signature, its seal, the
/// certificate chain, the time stamp, whether the document changed after sealing, whether the
/// certificate was revoked at signing, and the ledger entry (<see cref="SealVerifier"/>).
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = 60_000_000)]
[RequestSizeLimit(60_000_000)]
public sealed class IndexModel(SealVerifier verifier, IOptions<ESealingOptions> options, IStringLocalizer<PortalText> text) : PageModel
{
    public VerificationReport? Report { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Error = text["Verify.NotPdf"];
            return Page();
        }

        if (file.Length > options.Value.MaxDocumentBytes)
        {
            Error = text["Verify.TooLarge", options.Value.MaxDocumentBytes / 1_000_000];
            return Page();
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        byte[] pdf = buffer.ToArray();
        if (pdf.AsSpan(0, Math.Min(pdf.Length, 1024)).IndexOf("%PDF-"u8) < 0)
        {
            Error = text["Verify.NotPdf"];
            return Page();
        }

        Report = await verifier.VerifyAsync(pdf, cancellationToken);
        return Page();
    }
}
