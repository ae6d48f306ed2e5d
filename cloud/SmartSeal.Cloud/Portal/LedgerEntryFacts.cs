using System.Globalization;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Reports;

namespace SmartSeal.Cloud.Portal;

/// <summary>One labelled line of a ledger entry as a person reads it; <see cref="Href"/> makes the value a link.</summary>
public sealed record EntryFact(string Label, string Value, string? Href = null, string? Secondary = null);

/// <summary>
/// A ledger entry in people's words (the auditor is who the ledger exists for): every field under a
/// zh-CN/English label (<c>Field.*</c> texts), times in the user's zone, people as
/// "name · unit · post" (as recorded when the entry was written, <see cref="LedgerExportRows"/>),
/// seals by name with the code secondary, kinds, decisions, steps and reasons in words. Fields the
/// texts do not know are not shown under a made-up label: they stay in <see cref="Unlabelled"/>,
/// which the page shows as the entry's raw record beside the hash.
/// </summary>
public sealed class LedgerEntryFacts
{
    /// <summary>Fields shown elsewhere on the page (photos as thumbnails, the position as a map) or already in a person's line.</summary>
    private static readonly HashSet<string> ShownElsewhere = new(StringComparer.Ordinal)
    {
        "photo", "photoBefore", "photoAfter", "gatePhoto", "lat", "lon", "accuracyM",
        "applicant", "applicantName", "applicantUnit", "applicantPost", "approvers", "approversAtTime", "executorAtTime", "actorAtTime", "actor",
        "application", "documents", "purpose", "copies", "appliedMs", "approvedMs", "executedMs",
    };

    /// <summary>Field values that are words from a closed list: the text key prefix they are translated with.</summary>
    private static readonly Dictionary<string, string> WordFields = new(StringComparer.Ordinal)
    {
        ["decision"] = "EntryDecision.",
        ["status"] = "Status.",
        ["step"] = "Step.",
        ["reason"] = "Refusal.",
        ["action"] = "EntryAction.",
        ["from"] = "SealState.",
        ["to"] = "SealState.",
        ["state"] = "SealState.",
        ["type"] = "SealType.",
        ["where"] = "SealLocation.",
    };

    private LedgerEntryFacts(IReadOnlyList<EntryFact> facts, IReadOnlyList<(string Key, string Value)> unlabelled)
    {
        Facts = facts;
        Unlabelled = unlabelled;
    }

    public IReadOnlyList<EntryFact> Facts { get; }

    public IReadOnlyList<(string Key, string Value)> Unlabelled { get; }

    /// <summary>The kinds a person searches the ledger by (the search forms' choice list).</summary>
    public static readonly IReadOnlyList<string> SearchKinds = ["stamp", "refusal", "dispense", "return", "application", "custody", "lifecycle", "inventory", "admin"];

    /// <summary>The kind of an entry in words ("盖章", "归还"...), the code itself only for a kind the texts do not know.</summary>
    public static string Kind(IStringLocalizer<PortalText> text, string kind) => Word(text, "Kind.", kind);

    public static LedgerEntryFacts Of(LedgerExportRow row, IReadOnlyDictionary<string, string> fields, IStringLocalizer<PortalText> text, PortalClock clock)
    {
        var facts = new List<EntryFact>();
        void Add(string labelKey, string? value, string? href = null, string? secondary = null)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                facts.Add(new EntryFact(text[labelKey].Value, value, href, secondary));
            }
        }

        string Time(long? ms) => ms is { } v ? clock.FormatSeconds(v) : string.Empty;

        Add("Field.executedMs", Time(row.ExecutedMs));
        Add("Common.Seal", row.SealName ?? row.SealId, secondary: row.SealName is null ? null : row.SealId);
        Add("Ledger.Kind", Kind(text, row.Kind));
        Add("Field.executor", row.Executor);
        if (row.ApplicationId is { } application)
        {
            Add("Ledger.Application", row.Purpose ?? application, "/Applications/Detail/" + application, row.Purpose is null ? null : application);
        }

        Add("Common.Applicant", row.ApplicantName is null ? null : Organisation.PersonCard.Labelled(row.ApplicantName, row.ApplicantUnit, row.ApplicantPost));
        Add("Field.documents", row.Documents);
        Add("Field.copies", row.Copies?.ToString(CultureInfo.InvariantCulture));
        Add("Field.appliedMs", Time(row.AppliedMs));
        Add("Field.approvedMs", Time(row.ApprovedMs));
        Add("Field.approvers", row.Approvers);

        var unlabelled = new List<(string, string)>();
        foreach ((string key, string value) in fields.Where(f => f.Value.Length > 0 && !ShownElsewhere.Contains(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            LocalizedString label = text["Field." + key];
            if (label.ResourceNotFound)
            {
                unlabelled.Add((key, value));
                continue;
            }

            string shown = key.EndsWith("Ms", StringComparison.Ordinal) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long ms)
                ? clock.FormatSeconds(ms)
                : WordFields.TryGetValue(key, out string? prefix) ? Word(text, prefix, value) : value;
            facts.Add(new EntryFact(label.Value, shown));
        }

        facts.Add(new EntryFact(text["Field.recordedMs"].Value, Time(row.RecordedMs)));
        return new LedgerEntryFacts(facts, unlabelled);
    }

    private static string Word(IStringLocalizer<PortalText> text, string prefix, string value)
    {
        LocalizedString word = text[prefix + value];
        return word.ResourceNotFound ? value : word.Value;
    }
}
