using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Reports;

namespace SmartSeal.Cloud.Portal.Pages.Ledger;

/// <summary>
/// The use ledger (用印台账) for auditors: search by seal, person, application, kind and period
/// (dates in the user's time zone), newest first, and the hash-chain verification of one seal's
/// chain or all of them (<see cref="LedgerVerifier"/>, the same check as <c>ledger verify</c>).
/// </summary>
public sealed class IndexModel(LedgerQueries ledger, LedgerVerifier verifier, LedgerExportRows rows, IStringLocalizer<PortalText> text, PortalClock clock) : LedgerSearchPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Verify { get; set; }

    public IReadOnlyList<StoredLedgerEntry> Entries { get; private set; } = [];

    public LedgerVerification? Verification { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        (long? fromMs, long? toMs) = clock.ParseDays(From, To);
        Entries = await ledger.SearchAsync(
            new LedgerSearch(Blank(Seal), null, Blank(Actor), Blank(Application), Blank(Kind), fromMs, toMs, Before, PageSize), cancellationToken);
        IReadOnlyList<LedgerExportRow> readable = await rows.EnrichAsync(Entries, cancellationToken);
        Readable = Entries.Zip(readable).ToDictionary(
            p => p.First.Id, p => (p.Second, LedgerEntryFacts.Of(p.Second, LedgerCanon.Fields(p.First.Payload), text, clock)));
        if (Verify)
        {
            Verification = await verifier.VerifyAsync(Blank(Seal), cancellationToken);
        }
    }

    /// <summary>Each entry in people's words (<see cref="LedgerEntryFacts"/>), by entry id.</summary>
    public IReadOnlyDictionary<long, (LedgerExportRow Row, LedgerEntryFacts Facts)> Readable { get; private set; } = new Dictionary<long, (LedgerExportRow, LedgerEntryFacts)>();

    /// <summary>The entry's own facts beyond the table's columns ("操作：同意 · 审批步骤：部门负责人审批"), for the table.</summary>
    public string Summary(StoredLedgerEntry entry)
    {
        (LedgerExportRow row, LedgerEntryFacts facts) = Readable[entry.Id];
        var columns = new HashSet<string>(StringComparer.Ordinal) { text["Field.executedMs"], text["Common.Seal"], text["Ledger.Kind"], text["Field.executor"], text["Field.recordedMs"] };
        // What was done comes first: the application's own facts (applicant, file, copies...) follow it.
        string decision = text["Field.decision"];
        return string.Join(" · ", facts.Facts.Where(f => !columns.Contains(f.Label)).OrderBy(f => f.Label == decision ? 0 : 1).Take(5).Select(f => f.Label + "：" + f.Value));
    }
}
