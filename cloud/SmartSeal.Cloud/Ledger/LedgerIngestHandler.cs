using System.Globalization;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// Device events that name their seal become ledger entries in the same transaction as the
/// device record (so a record and its ledger entry commit together, once — the source
/// <c>evt:{device}:{seq}</c> makes redelivery a no-op). Cabinet hand-overs and returns name the
/// seal; a lock's stamps and refusals are tied to their seal and application through the token
/// they were made under (<see cref="UseFacts"/>), which also supplies who applied, for what, and
/// who approved. A refusal under no known token is still recorded, against no seal: it is in the
/// device records and the alarms, not in a seal's chain.
/// </summary>
public sealed class LedgerIngestHandler(LedgerService ledger) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var entries = new List<LedgerEntry>();
        foreach ((IngestItem item, DispensedBody body) in batch.Stored<DispensedBody>())
        {
            entries.Add(await EntryAsync(batch, item, body.SealId, LedgerKinds.Dispense, body.TokenId, new Dictionary<string, string>
            {
                ["compartment"] = Number(body.Compartment),
                ["tag"] = body.TagId ?? string.Empty,
                ["photo"] = body.PhotoId ?? string.Empty,
            }));
        }

        foreach ((IngestItem item, ReturnedBody body) in batch.Stored<ReturnedBody>())
        {
            entries.Add(await EntryAsync(batch, item, body.SealId, LedgerKinds.Return, null, new Dictionary<string, string>
            {
                ["compartment"] = Number(body.Compartment),
                ["tag"] = body.TagId ?? string.Empty,
                ["photo"] = body.PhotoId ?? string.Empty,
            }));
        }

        foreach ((IngestItem item, StampedBody body) in batch.Stored<StampedBody>())
        {
            if (await SealOfAsync(batch, body.TokenId) is { } sealId)
            {
                entries.Add(await EntryAsync(batch, item, sealId, LedgerKinds.Stamp, body.TokenId, With(body.Fix, new Dictionary<string, string>
                {
                    ["attempt"] = body.AttemptId,
                    ["document"] = body.DocumentId ?? string.Empty,
                    ["page"] = Number(body.Page),
                    ["photoBefore"] = body.BeforePhotoId ?? string.Empty,
                    ["photoAfter"] = body.AfterPhotoId ?? string.Empty,
                })));
            }
        }

        foreach ((IngestItem item, RefusedBody body) in batch.Stored<RefusedBody>())
        {
            if (await SealOfAsync(batch, body.TokenId) is { } sealId)
            {
                entries.Add(await EntryAsync(batch, item, sealId, LedgerKinds.Refusal, body.TokenId, With(body.Fix, new Dictionary<string, string>
                {
                    ["attempt"] = body.AttemptId ?? string.Empty,
                    ["reason"] = WireNames.RefusalReasons[(int)body.Reason] ?? "unknown",
                    ["detail"] = body.Detail ?? string.Empty,
                })));
            }
        }

        if (entries.Count > 0)
        {
            await ledger.AppendAsync(entries, batch.Connection!, batch.Transaction!, cancellationToken);
        }
    }

    private static async Task<string?> SealOfAsync(IngestBatch batch, string? jti) =>
        (await UseTokens.UseTokenStore.FindInBatchAsync(jti, batch))?.SealId;

    private static async Task<LedgerEntry> EntryAsync(IngestBatch batch, IngestItem item, string sealId, string kind, string? tokenId, Dictionary<string, string> fields)
    {
        var facts = await UseFacts.ForTokenAsync(tokenId, batch);
        if (facts is { } known)
        {
            foreach ((string name, string value) in known.Fields)
            {
                fields[name] = value;
            }

            fields["executedMs"] = Number(item.Envelope.Time);
        }

        return new LedgerEntry
        {
            SealId = sealId,
            Kind = kind,
            AtMs = item.Envelope.Time,
            DeviceId = item.DeviceId,
            Actor = facts?.Holder,
            ApplicationId = facts?.ApplicationId,
            TokenId = tokenId,
            Source = $"evt:{item.DeviceId}:{item.Envelope.Seq}",
            Fields = fields,
        };
    }

    private static Dictionary<string, string> With(GeoFix? fix, Dictionary<string, string> fields)
    {
        if (fix != null)
        {
            fields["lat"] = (fix.LatE7 / 1e7).ToString("F7", CultureInfo.InvariantCulture);
            fields["lon"] = (fix.LonE7 / 1e7).ToString("F7", CultureInfo.InvariantCulture);
            fields["accuracyM"] = (fix.AccuracyCm / 100.0).ToString("F1", CultureInfo.InvariantCulture);
        }

        return fields;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
