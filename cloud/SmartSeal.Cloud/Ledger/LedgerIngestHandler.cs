using System.Globalization;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// Device events that name their seal become ledger entries in the same transaction as the
/// device record (so a record and its ledger entry commit together, once — the source
/// <c>evt:{device}:{seq}</c> makes redelivery a no-op). Cabinet hand-overs and returns name the
/// seal; lock stamps are tied to their seal through the token registry of [cloud-domain].
/// </summary>
public sealed class LedgerIngestHandler(LedgerService ledger) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var entries = new List<LedgerEntry>();
        foreach ((IngestItem item, DispensedBody body) in batch.Stored<DispensedBody>())
        {
            entries.Add(Entry(item, body.SealId, LedgerKinds.Dispense, body.TokenId, new Dictionary<string, string>
            {
                ["compartment"] = body.Compartment.ToString(CultureInfo.InvariantCulture),
                ["tag"] = body.TagId ?? string.Empty,
                ["photo"] = body.PhotoId ?? string.Empty,
            }));
        }

        foreach ((IngestItem item, ReturnedBody body) in batch.Stored<ReturnedBody>())
        {
            entries.Add(Entry(item, body.SealId, LedgerKinds.Return, null, new Dictionary<string, string>
            {
                ["compartment"] = body.Compartment.ToString(CultureInfo.InvariantCulture),
                ["tag"] = body.TagId ?? string.Empty,
            }));
        }

        if (entries.Count > 0)
        {
            await ledger.AppendAsync(entries, batch.Connection!, batch.Transaction!, cancellationToken);
        }
    }

    private static LedgerEntry Entry(IngestItem item, string sealId, string kind, string? tokenId, Dictionary<string, string> fields) => new()
    {
        SealId = sealId,
        Kind = kind,
        AtMs = item.Envelope.Time,
        DeviceId = item.DeviceId,
        TokenId = tokenId,
        Source = $"evt:{item.DeviceId}:{item.Envelope.Seq}",
        Fields = fields,
    };
}
