using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Portal.Pages.Applications;

/// <summary>
/// The application form: seal, purpose, documents, stamps, mode, location limit (drawn on the map or
/// typed), time window, urgency. With <c>?from={id}</c> it edits a returned application and resubmits it.
/// </summary>
public sealed class NewModel(ApplicationService applications, OrgDirectory organisation, SealDirectory sealDirectory, PortalClock clock, IStringLocalizer<PortalText> text) : PageModel
{
    public const int DocumentRows = 3;

    /// <summary>At most this many seals are offered.</summary>
    public const int ApplicableSeals = 500;

    public IReadOnlyList<SealListing> Seals { get; private set; } = [];

    /// <summary>The returned application being changed, or null for a new one.</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty]
    public string? SealId { get; set; }

    [BindProperty]
    public string? Purpose { get; set; }

    [BindProperty]
    public List<string?> DocumentNames { get; set; } = [];

    [BindProperty]
    public List<int?> DocumentPages { get; set; } = [];

    [BindProperty]
    public int? Stamps { get; set; } = 1;

    [BindProperty]
    public ApplicationMode Mode { get; set; } = ApplicationMode.Cabinet;

    /// <summary>none, circle or polygon.</summary>
    [BindProperty]
    public string LocationKind { get; set; } = "none";

    [BindProperty]
    public double? CircleLat { get; set; }

    [BindProperty]
    public double? CircleLon { get; set; }

    [BindProperty]
    public double? CircleRadius { get; set; } = 500;

    /// <summary>One "lat, lon" per line.</summary>
    [BindProperty]
    public string? PolygonText { get; set; }

    [BindProperty]
    public string? WindowFrom { get; set; }

    [BindProperty]
    public string? WindowTo { get; set; }

    [BindProperty]
    public Urgency Urgency { get; set; } = Urgency.Normal;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        long now = clock.NowMs;
        WindowFrom = clock.Input(now);
        WindowTo = clock.Input(now + 86_400_000);
        if (From is not null)
        {
            if (await applications.FindAsync(From, CallerScope.Of(User), cancellationToken) is not { Status: ApplicationStatus.Returned } returned || returned.Applicant != User.Identity!.Name)
            {
                return this.NotFoundPage();
            }

            Prefill(returned);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        ApplicationRequest request = BuildRequest();
        if (ModelState.IsValid)
        {
            ChangeResult<ApplicationView> result = From is null
                ? await applications.SubmitAsync(request, User.Identity!.Name!, cancellationToken)
                : await applications.ResubmitAsync(From, User.Identity!.Name!, request, cancellationToken);
            if (result.Status == ChangeStatus.Ok)
            {
                TempData["Flash"] = text[From is null ? "Apply.Submitted" : "Detail.Resubmitted"].Value;
                return RedirectToPage("/Applications/Detail", new { id = result.Value!.Id });
            }

            AddProblems(result);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private void Prefill(ApplicationView application)
    {
        SealId = application.SealId;
        Purpose = application.Purpose;
        DocumentNames = [.. application.Documents.Select(d => (string?)d.Name)];
        DocumentPages = [.. application.Documents.Select(d => (int?)d.Pages)];
        Stamps = application.Stamps;
        Mode = application.Mode;
        Urgency = application.Urgency;
        WindowFrom = clock.Input(application.WindowFromMs);
        WindowTo = clock.Input(application.WindowToMs);
        if (application.Location?.Circle is { } circle)
        {
            (LocationKind, CircleLat, CircleLon, CircleRadius) = ("circle", circle.Lat, circle.Lon, circle.RadiusM);
        }
        else if (application.Location?.Polygon is { } polygon)
        {
            LocationKind = "polygon";
            PolygonText = string.Join("\n", polygon.Select(p => p.Lat.ToString(CultureInfo.InvariantCulture) + ", " + p.Lon.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private ApplicationRequest BuildRequest()
    {
        var documents = new List<ApplicationDocument>();
        for (int i = 0; i < DocumentNames.Count; i++)
        {
            string? name = DocumentNames[i]?.Trim();
            int? pages = i < DocumentPages.Count ? DocumentPages[i] : null;
            if (!string.IsNullOrEmpty(name) || pages is not null)
            {
                documents.Add(new ApplicationDocument(name ?? string.Empty, pages ?? 0));
            }
        }

        LocationLimit? location = null;
        if (LocationKind == "circle")
        {
            location = CircleLat is { } lat && CircleLon is { } lon && CircleRadius is { } radius
                ? new LocationLimit(new GeoCircle(lat, lon, radius), null)
                : Problem<LocationLimit>("location", "Apply.Problem.circle");
        }
        else if (LocationKind == "polygon")
        {
            location = ParsePolygon(PolygonText) is { } points ? new LocationLimit(null, points) : Problem<LocationLimit>("location", "Apply.Problem.polygon");
        }

        long? from = clock.ParseInput(WindowFrom);
        long? to = clock.ParseInput(WindowTo);
        if (from is null || to is null)
        {
            ModelState.AddModelError("window", text["Apply.Problem.window"]);
        }

        return new ApplicationRequest(SealId, Purpose, [.. documents], Stamps, Mode, location, from, to, Urgency);
    }

    private T? Problem<T>(string field, string key)
        where T : class
    {
        ModelState.AddModelError(field, text[key]);
        return null;
    }

    private void AddProblems(ChangeResult<ApplicationView> result)
    {
        if (result.Problems is { } problems)
        {
            foreach ((string field, string[] reasons) in problems)
            {
                LocalizedString localized = text["Apply.Problem." + field];
                ModelState.AddModelError(field, localized.ResourceNotFound ? string.Join("; ", reasons) : localized.Value);
            }
        }
        else
        {
            ModelState.AddModelError(string.Empty, result.Error ?? result.Status.ToString());
        }
    }

    /// <summary>"lat, lon" per line (or separated by semicolons); null when fewer than 3 points or a number does not parse.</summary>
    public static GeoPoint[]? ParsePolygon(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var points = new List<GeoPoint>();
        foreach (string line in value.Split(['\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = line.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2
                || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double lat)
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double lon))
            {
                return null;
            }

            points.Add(new GeoPoint(lat, lon));
        }

        return points.Count >= 3 ? [.. points] : null;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // The units on the applicant's line of the tree, then their in-use seals in that order.
        IReadOnlyList<string> units = await organisation.UnitsOnLineOfUserAsync(User.Identity!.Name!, cancellationToken);
        Seals = await sealDirectory.InUseInUnitsAsync(units, ApplicableSeals, cancellationToken);
        while (DocumentNames.Count < DocumentRows)
        {
            DocumentNames.Add(null);
        }

        while (DocumentPages.Count < DocumentNames.Count)
        {
            DocumentPages.Add(null);
        }
    }
}
