using System.Globalization;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// Device events that name their seal become ledger entries in the same transaction as the
/// device record (so a record and its ledger entry commit together, once — the source
/// <c>evt:{device}:{seq}</c> makes redelivery a no-op). Cabinet hand-overs and returns name the
/// seal; a lock's stamps and refusals are tied to their seal and application through the token
/// they were made under (<see cref="UseFacts"/>), which also supplies who applied, for what, and
/// who approved. A refusal under no known token is still recorded, against no seal: it is in the
/// device records and the alarms, not in a seal's chain. Checkouts builds these entries because
/// only it knows the tokens; the ledger only stores them (<see cref="LedgerService"/>).
/// </summary>
public sealed class UseLedgerHandler(LedgerService ledger, UseFacts useFacts, IGateDecisions gateDecisions) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var entries = new List<LedgerEntry>();
        // A seal's chain takes only what the device could have done: the binding stage
        // (Checkouts/BindingHandler) already refused hand-overs and uses of seals not bound to the sender.
        foreach ((IngestItem item, DispensedBody body) in batch.Stored<DispensedBody>())
        {
            var fields = new Dictionary<string, string>
            {
                ["compartment"] = Number(body.Compartment),
                ["tag"] = body.TagId ?? string.Empty,
                ["photo"] = body.PhotoId ?? string.Empty,
            };
            await AddGateDecisionAsync(batch, body.TokenId, fields);
            entries.Add(await EntryAsync(batch, item, body.SealId, LedgerKinds.Dispense, body.TokenId, fields));
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
            if (await SealOfAsync(batch, item, body.TokenId) is { } sealId)
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
            if (await SealOfAsync(batch, item, body.TokenId) is { } sealId)
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
            // Only events stored by this batch get here (batch.Stored: new (device, seq) rows), so their sources are new.
            await ledger.AppendAsync(entries, batch.Connection!, batch.Transaction!, cancellationToken, sourcesAreNew: true);
        }
    }

    /// <summary>
    /// A dispense the edge gate asked for (the cabinet token was issued for "gate:{id}:{seq}")
    /// carries that decision: who the gate saw, how sure it was, and its capture photo.
    /// </summary>
    private async Task AddGateDecisionAsync(IngestBatch batch, string? tokenId, Dictionary<string, string> fields)
    {
        if (await UseTokenStore.FindInBatchAsync(tokenId, batch) is not { IssuedBy: { } by }
            || await gateDecisions.BehindTokenAsync(by, batch.Connection!, batch.Transaction) is not { } decision)
        {
            return;
        }

        fields["gate"] = decision.GateId;
        fields["gateSeq"] = Number(decision.Seq);
        fields["gateSubject"] = decision.Subject;
        fields["gateScore"] = (decision.Score / 10000.0).ToString("F4", CultureInfo.InvariantCulture);
        fields["gateLiveness"] = (decision.Liveness / 10000.0).ToString("F4", CultureInfo.InvariantCulture);
        fields["gatePhoto"] = decision.PhotoId ?? string.Empty;
    }

    /// <summary>The seal of the token the use was made under, when that token was issued to this very device.</summary>
    private static async Task<string?> SealOfAsync(IngestBatch batch, IngestItem item, string? jti) =>
        await UseTokenStore.FindInBatchAsync(jti, batch) is { } token && token.DeviceId == item.DeviceId ? token.SealId : null;

    private async Task<LedgerEntry> EntryAsync(IngestBatch batch, IngestItem item, string sealId, string kind, string? tokenId, Dictionary<string, string> fields)
    {
        var facts = await useFacts.ForTokenAsync(tokenId, batch);
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
