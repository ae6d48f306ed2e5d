using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Seals;
using SmartSeal.Protocol.Geo;

namespace SmartSeal.Cloud.Risk;

/// <summary>The keeper's risk list for a period: the flags, newest first, with the seals' names.</summary>
public sealed record RiskBoard(long FromMs, long ToMs, IReadOnlyList<RiskFlag> Flags, IReadOnlyDictionary<string, string> SealNames);

/// <summary>
/// Reads the stamps and refusals the caller may audit from the ledger (the period plus the norm's
/// baseline before it), the seals' units from the register and the approved areas of the
/// applications behind located stamps, and runs <see cref="RiskAnalyzer"/> over them.
/// </summary>
public sealed class RiskReview(SealRegistry seals, LedgerReader ledger, ApplicationDirectory applications, IOptionsMonitor<RiskOptions> options)
{
    public async Task<RiskBoard> ReviewAsync(LedgerAudience audience, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        RiskOptions settings = options.CurrentValue;
        Dictionary<string, Seal> byId = (await seals.ListAsync(audience.AsReader(), null, null, cancellationToken)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        long since = fromMs - (long)TimeSpan.FromDays(settings.NormDays).TotalMilliseconds;
        var uses = new List<UseRecord>();
        foreach (string kind in new[] { LedgerKinds.Stamp, LedgerKinds.Refusal })
        {
            await foreach (StoredLedgerEntry entry in ledger.StreamAsync(audience, new LedgerFilter(Kind: kind, FromMs: since, ToMs: toMs), cancellationToken))
            {
                uses.Add(ToUse(entry, byId.GetValueOrDefault(entry.SealId)?.UnitId));
            }
        }

        string[] located = uses.Where(u => u.Lat is not null && u.ApplicationId is not null).Select(u => u.ApplicationId!).Distinct().ToArray();
        Dictionary<string, GeoFence> fences = (await applications.RecordsAsync(located, cancellationToken))
            .Where(a => a.Content.Location is not null)
            .ToDictionary(a => a.Id, a => CheckoutEventHandler.ToFence(a.Content.Location!), StringComparer.Ordinal);

        IReadOnlyList<RiskFlag> flags = new RiskAnalyzer(settings).Analyze(uses, fromMs, use =>
            use.ApplicationId is { } app && fences.TryGetValue(app, out GeoFence? fence)
            && fence.Check(use.Lat!.Value, use.Lon!.Value, use.AccuracyM ?? 0, out double inside) == GeoFenceCheck.Outside
                ? -inside
                : null);
        return new RiskBoard(fromMs, toMs, flags, byId.Values.ToDictionary(s => s.Id, s => s.Name, StringComparer.Ordinal));
    }

    private static UseRecord ToUse(StoredLedgerEntry entry, string? unitId)
    {
        using JsonDocument payload = JsonDocument.Parse(entry.Payload);
        JsonElement fields = payload.RootElement.TryGetProperty("fields", out JsonElement f) ? f : default;
        string? Field(string name) => fields.ValueKind == JsonValueKind.Object && fields.TryGetProperty(name, out JsonElement v) && v.GetString() is { Length: > 0 } s ? s : null;
        double? Number(string name) => Field(name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;
        return new UseRecord(entry.Id, entry.SealId, unitId, entry.Kind, entry.AtMs, entry.Actor, entry.ApplicationId, Field("document"), Field("page"),
            Number("lat"), Number("lon"), Number("accuracyM"), Field("reason"));
    }
}
