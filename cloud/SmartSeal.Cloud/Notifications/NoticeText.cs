using System.Globalization;
using System.Resources;

namespace SmartSeal.Cloud.Notifications;

/// <summary>
/// Notice titles in the reader's language: <c>NoticeText.resx</c> (zh-CN, the default) and
/// <c>NoticeText.en.resx</c>. Work notices are rendered in the recipient's chosen language when
/// queued; the inbox renders in the language the reader reads it in.
/// </summary>
public sealed class NoticeText
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    /// <summary>The languages a person may choose for their notices.</summary>
    public static readonly IReadOnlyList<string> Languages = [Chinese, English];

    private static readonly ResourceManager Resources = new(typeof(NoticeText).FullName!, typeof(NoticeText).Assembly);

    /// <summary>The supported language closest to <paramref name="culture"/> (anything English → en, else zh-CN).</summary>
    public static string LanguageOf(CultureInfo culture) =>
        culture.Name.StartsWith("en", StringComparison.Ordinal) ? English : Chinese; // by name: under invariant globalization every culture's ISO code is "iv"

    public static string Title(NoticeKind kind, string language, string? actorName, string? sealName, string? subjectId, string? detail)
    {
        CultureInfo culture = CultureInfo.GetCultureInfo(language);
        return string.Format(
            culture,
            Text("Title." + kind, culture),
            actorName ?? Text("Name.Unknown", culture),
            sealName ?? Text("Name.UnknownSeal", culture),
            subjectId ?? string.Empty,
            detail ?? string.Empty);
    }

    /// <summary>The second line of a work notice: which application (or checkout, alarm) it is.</summary>
    public static string Body(string language, string? subjectId)
    {
        CultureInfo culture = CultureInfo.GetCultureInfo(language);
        return subjectId is null ? string.Empty : string.Format(culture, Text("Body.Application", culture), string.Empty, string.Empty, subjectId);
    }

    public static string OpenLabel(string language) => Text("Body.Open", CultureInfo.GetCultureInfo(language));

    private static string Text(string key, CultureInfo culture) =>
        Resources.GetString(key, culture) ?? throw new InvalidOperationException($"notice text {key} is missing");
}
