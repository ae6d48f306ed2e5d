using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Devices;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// Device–seal binding, between store and the domain handlers: a valid key proves which device
/// spoke, not that the seal it speaks of is its own. A stored event that moves a seal or counts a
/// use is let through only when the sending device is bound to that seal:
/// <list type="bullet">
/// <item><c>dispensed</c>: from a cabinet, under a token the cloud issued to that cabinet for that seal;</item>
/// <item><c>returned</c>: from a cabinet the cloud opened for that seal in that compartment (<see cref="CabinetReturnOpenings"/>);</item>
/// <item><c>stamped</c>: under a token the cloud issued to that lock — the seal bound into it, the only one it can stamp with.</item>
/// </list>
/// Anything else becomes <see cref="IngestOutcome.Unbound"/>: kept in the device's records as
/// evidence and acknowledged, but no checkout, location, token count or ledger entry changes; the
/// refusal stage records the reason and raises <see cref="CheckoutAlarms.UseNotCovered"/> on the
/// sender. A lock's own <c>refused</c> report and tag reports are not bound: they say what the
/// device saw (a bad token presented, a stranger's tag in a slot), which is worth keeping from any device.
/// </summary>
public sealed class BindingHandler : IIngestHandler
{
    public IngestStage Stage => IngestStage.Bind;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        foreach (IngestItem item in batch.Where(IngestOutcome.Stored).ToList())
        {
            (string Reason, string Detail)? refusal = item.Body switch
            {
                DispensedBody dispensed => await DispensedAsync(item, dispensed, batch),
                ReturnedBody returned => await ReturnedAsync(item, returned, batch),
                StampedBody stamped => await StampedAsync(item, stamped, batch),
                _ => null,
            };
            if (refusal is { } refused)
            {
                item.Unbind(refused.Reason, refused.Detail, CheckoutAlarms.UseNotCovered);
            }
        }
    }

    private static async Task<(string, string)?> DispensedAsync(IngestItem item, DispensedBody body, IngestBatch batch)
    {
        if (NotACabinet(item, "dispensed", body.SealId) is { } refused)
        {
            return refused;
        }

        IssuedToken? token = await UseTokenStore.FindInBatchAsync(body.TokenId, batch);
        return TokenRefusal(item, token, body.TokenId, $"dispensed seal {body.SealId} from compartment {body.Compartment}")
            ?? (token!.SealId != body.SealId
                ? (BindingReasons.TokenForOtherSeal, $"dispensed seal {body.SealId} under token {token.Jti}, which is for seal {token.SealId}")
                : null);
    }

    private static async Task<(string, string)?> ReturnedAsync(IngestItem item, ReturnedBody body, IngestBatch batch)
    {
        if (NotACabinet(item, "returned", body.SealId) is { } refused)
        {
            return refused;
        }

        return body.SealId is null || !await CabinetReturnOpenings.WasOpenedForAsync(item.DeviceId!, body.Compartment, body.SealId, batch)
            ? (BindingReasons.SealNotAssigned, $"returned seal {body.SealId ?? "(none)"} into compartment {body.Compartment}, which the cloud never opened for that seal")
            : null;
    }

    private static async Task<(string, string)?> StampedAsync(IngestItem item, StampedBody body, IngestBatch batch) =>
        TokenRefusal(item, await UseTokenStore.FindInBatchAsync(body.TokenId, batch), body.TokenId, $"stamp {body.AttemptId}");

    private static (string, string)? NotACabinet(IngestItem item, string what, string? sealId) =>
        item.Device?.Kind == DeviceKind.Cabinet
            ? null
            : (BindingReasons.NotACabinet, $"a {item.Device?.Kind.ToString().ToLowerInvariant() ?? "device"} reported {what} of seal {sealId ?? "(none)"}; only a cabinet can");

    /// <summary>The token must exist and be the sender's: a made-up id, or another device's genuine one, covers nothing.</summary>
    private static (string, string)? TokenRefusal(IngestItem item, IssuedToken? token, string? tokenId, string what)
    {
        if (token is null)
        {
            return (BindingReasons.TokenNotIssued, $"{what} under token {tokenId ?? "(none)"}, which the cloud never issued");
        }

        return token.DeviceId != item.DeviceId
            ? (BindingReasons.TokenForOtherDevice, $"{what} under token {token.Jti}, which was issued to {token.DeviceId}")
            : null;
    }
}
