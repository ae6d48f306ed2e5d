using System.Globalization;
using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.Portal;

/// <summary>
/// Times in the user's time zone: the IANA zone the browser reports in the <see cref="CookieName"/>
/// cookie (set by portal.js on every page), else <see cref="PortalOptions.DefaultTimeZone"/>.
/// The portal shows and reads times as "yyyy-MM-dd HH:mm" in that zone; storage stays Unix ms UTC.
/// </summary>
public sealed class PortalClock(IHttpContextAccessor http, IOptions<PortalOptions> options, TimeProvider time)
{
    public const string CookieName = "smartseal-tz";
    public const string InputFormat = "yyyy-MM-ddTHH:mm";

    private TimeZoneInfo? _zone;

    public TimeZoneInfo Zone => _zone ??= Resolve(http.HttpContext?.Request.Cookies[CookieName]) ?? Resolve(options.Value.DefaultTimeZone) ?? TimeZoneInfo.Utc;

    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    public DateTimeOffset Local(long unixMs) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), Zone);

    public string Format(long unixMs) => Local(unixMs).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public string Format(long? unixMs) => unixMs is { } ms ? Format(ms) : string.Empty;

    public string FormatSeconds(long unixMs) => Local(unixMs).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The value of a <c>datetime-local</c> input for this instant.</summary>
    public string Input(long unixMs) => Local(unixMs).ToString(InputFormat, CultureInfo.InvariantCulture);

    /// <summary>A <c>datetime-local</c> value in the user's zone as Unix ms, or null when it does not parse.</summary>
    public long? ParseInput(string? value)
    {
        if (!DateTime.TryParseExact(value, [InputFormat, "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
        {
            return null;
        }

        DateTime unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, Zone.GetUtcOffset(unspecified)).ToUnixTimeMilliseconds();
    }

    /// <summary>
    /// A search period given as two <c>yyyy-MM-dd</c> days in the user's zone: from the first day's
    /// midnight to the last millisecond of the second, inclusive; a blank or bad day leaves that end open.
    /// </summary>
    public (long? FromMs, long? ToMs) ParseDays(string? fromDay, string? toDay) =>
        (ParseInput(fromDay + "T00:00"), ParseInput(toDay + "T00:00") is { } day ? day + 86_400_000 - 1 : null);

    private static TimeZoneInfo? Resolve(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return null;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out TimeZoneInfo? zone) ? zone : null;
    }
}
