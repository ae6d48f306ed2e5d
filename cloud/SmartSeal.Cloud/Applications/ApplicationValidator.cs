namespace SmartSeal.Cloud.Applications;

/// <summary>Checks an application's own fields (the seal's existence and state are the service's part).</summary>
public static class ApplicationValidator
{
    public const int MaxStamps = 10_000;

    public static Dictionary<string, string[]> Check(ApplicationRequest request, long nowMs, out ApplicationContent? content)
    {
        var problems = new Dictionary<string, string[]>();
        content = null;
        if (string.IsNullOrWhiteSpace(request.SealId))
        {
            problems["sealId"] = ["is required"];
        }

        if (string.IsNullOrWhiteSpace(request.Purpose))
        {
            problems["purpose"] = ["is required"];
        }

        if (request.Documents is not { Length: > 0 })
        {
            problems["documents"] = ["name at least one document"];
        }
        else if (request.Documents.Any(d => d is null || string.IsNullOrWhiteSpace(d.Name) || d.Pages < 1))
        {
            problems["documents"] = ["every document needs a name and at least one page"];
        }

        if (request.Stamps is not (>= 1 and <= MaxStamps))
        {
            problems["stamps"] = [$"between 1 and {MaxStamps}"];
        }

        if (request.Mode is null)
        {
            problems["mode"] = ["is required: cabinet or lock"];
        }

        CheckLocation(request.Location, problems);

        if (request.WindowFromMs is not { } from || request.WindowToMs is not { } to)
        {
            problems["window"] = ["windowFromMs and windowToMs are required"];
        }
        else if (from >= to)
        {
            problems["window"] = ["windowFromMs must be before windowToMs"];
        }
        else if (to <= nowMs)
        {
            problems["window"] = ["the time window is in the past"];
        }

        if (request.Amount is < 0)
        {
            problems["amount"] = ["cannot be negative"];
        }

        if (request.Category?.Length > 40 || request.Authorisation?.Length > 200)
        {
            problems["category"] = ["category: at most 40 characters; authorisation: at most 200"];
        }

        if (problems.Count == 0)
        {
            content = new ApplicationContent(request.SealId!.Trim(), request.Purpose!.Trim(), request.Documents!, request.Stamps!.Value, request.Mode!.Value,
                request.Location, request.WindowFromMs!.Value, request.WindowToMs!.Value, request.Urgency ?? Urgency.Normal,
                Blank(request.Category)?.ToLowerInvariant(), request.Amount, Blank(request.Authorisation));
        }

        return problems;
    }

    private static void CheckLocation(LocationLimit? location, Dictionary<string, string[]> problems)
    {
        if (location is null)
        {
            return;
        }

        if ((location.Circle is null) == (location.Polygon is null))
        {
            problems["location"] = ["give either a circle or a polygon"];
            return;
        }

        if (location.Circle is { } circle)
        {
            if (!(circle.RadiusM > 0) || double.IsInfinity(circle.RadiusM))
            {
                problems["location.circle.radiusM"] = ["must be greater than 0"];
            }

            if (!Valid(circle.Lat, circle.Lon))
            {
                problems["location.circle"] = ["lat within ±90, lon within ±180"];
            }
        }
        else if (location.Polygon!.Length < 3)
        {
            problems["location.polygon"] = ["needs at least 3 points"];
        }
        else if (location.Polygon.Any(p => p is null || !Valid(p.Lat, p.Lon)))
        {
            problems["location.polygon"] = ["every point needs lat within ±90 and lon within ±180"];
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool Valid(double lat, double lon) => lat is >= -90 and <= 90 && lon is >= -180 and <= 180;
}
