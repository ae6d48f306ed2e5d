using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Gate;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Portal.Pages.Keeper;

/// <summary>
/// Face enrolment for the face gates (<see cref="FaceEnrolmentService"/>): a keeper uploads a few
/// photos of a person of their units; the service keeps only the sealed templates (the photos
/// are read into memory for the analysis and dropped — this page stores nothing). Shows the
/// person's enrolment: recipe version (current or stale), template count, expiry; revoke.
/// </summary>
[RequestSizeLimit(64 * 1024 * 1024)]
public sealed class FacesModel(FaceEnrolmentService faces, IOptions<FaceOptions> options, IStringLocalizer<PortalText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Login { get; set; }

    [BindProperty]
    public int? LifetimeDays { get; set; }

    public FaceEnrolment? Enrolment { get; private set; }

    public bool Looked { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public FaceOptions Limits => options.Value;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostEnrolAsync(List<IFormFile> photos, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Login))
        {
            Error = text["Faces.LoginRequired"];
            return Page();
        }

        Login = Login.Trim();
        var uploads = new List<EnrolmentPhoto>();
        foreach (IFormFile file in photos)
        {
            if (file.Length > Limits.MaxPhotoBytes)
            {
                Error = text["Faces.TooBig", file.FileName];
                await LoadAsync(cancellationToken);
                return Page();
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            uploads.Add(new EnrolmentPhoto(string.IsNullOrEmpty(file.FileName) ? $"photo {uploads.Count + 1}" : file.FileName, buffer.ToArray()));
        }

        ChangeResult<EnrolmentResult> result;
        try
        {
            result = await faces.EnrolAsync(Login, uploads, LifetimeDays, CallerScope.Of(User), cancellationToken);
        }
        catch (SmartSeal.FaceRecognition.FaceModelException)
        {
            Error = text["Faces.ModelsMissing"];
            await LoadAsync(cancellationToken);
            return Page();
        }

        if (result.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text["Faces.Enrolled", Login, result.Value!.Enrolment.Templates].Value;
            return RedirectToPage(new { login = Login });
        }

        Error = result.Status == ChangeStatus.Invalid ? text["Faces.Refused"] : ChangeText.Of(result, text);
        Problems = result.Problems?.Select(p => p.Key + ": " + string.Join(", ", p.Value)).ToList() ?? [];
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Login))
        {
            return RedirectToPage();
        }

        ChangeResult<FaceEnrolment> result = await faces.RevokeAsync(Login, CallerScope.Of(User), cancellationToken);
        if (result.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text["Faces.Revoked", Login].Value;
            return RedirectToPage(new { login = Login });
        }

        Error = ChangeText.Of(result, text);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(Login))
        {
            Looked = true;
            Enrolment = await faces.FindAsync(Login.Trim(), CallerScope.Of(User), cancellationToken);
        }
    }
}
