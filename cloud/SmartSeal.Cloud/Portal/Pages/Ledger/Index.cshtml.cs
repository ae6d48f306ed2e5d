using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using SmartSeal.Cloud.Ledger;

namespace SmartSeal.Cloud.Portal.Pages.Ledger;

/// <summary>
/// The use ledger (用印台账) for auditors: search by seal, person, application, kind and period
/// (dates in the user's time zone), newest first, and the hash-chain verification of one seal's
/// chain or all of them (<see cref="LedgerVerifier"/>, the same check as <c>ledger verify</c>).
/// </summary>
public sealed class IndexModel(LedgerQueries ledger, LedgerVerifier verifier, PortalClock clock) : LedgerSearchPageModel
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
        if (Verify)
        {
            Verification = await verifier.VerifyAsync(Blank(Seal), cancellationToken);
        }
    }

    /// <summary>The entry's own fields ("decision: approved · step: seal-owner"), for the table.</summary>
    public static string Summary(StoredLedgerEntry entry)
    {
        try
        {
            using JsonDocument payload = JsonDocument.Parse(entry.Payload);
            JsonElement fields = payload.RootElement.TryGetProperty("fields", out JsonElement f) ? f : payload.RootElement;
            return fields.ValueKind != JsonValueKind.Object
                ? entry.Payload
                : string.Join(" · ", fields.EnumerateObject()
                    .Where(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array) && p.Value.ToString().Length > 0)
                    .Select(p => p.Name + ": " + p.Value));
        }
        catch (JsonException)
        {
            return entry.Payload;
        }
    }
}
