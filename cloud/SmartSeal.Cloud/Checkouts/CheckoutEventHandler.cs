using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Seals;
using SmartSeal.Protocol.Geo;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// What the devices did with their tokens, in the ingest transaction: a cabinet's dispensed and
/// returned events move the checkout and the seal; a lock's stamps and refusals are counted on
/// their token and reconciled against it (count, order, window, revocation, area). Every
/// discrepancy is an alarm on the device; nothing a device reports is dropped for disagreeing.
/// Events about a seal or token the device has no part in never get here: the binding stage
/// (Checkouts/BindingHandler) refuses them first.
/// </summary>
public sealed class CheckoutEventHandler(AlarmService alarms, UseFacts useFacts, IOptions<CheckoutOptions> options) : IIngestHandler
{
    public IngestStage Stage => IngestStage.Domain;

    public async Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        DbConnection connection = batch.Connection!;
        DbTransaction transaction = batch.Transaction!;
        foreach ((IngestItem item, DispensedBody body) in batch.Stored<DispensedBody>())
        {
            await OnDispensedAsync(batch, item, body, connection, transaction, cancellationToken);
        }

        foreach ((IngestItem item, ReturnedBody body) in batch.Stored<ReturnedBody>())
        {
            await OnReturnedAsync(item, body, connection, transaction, cancellationToken);
        }

        foreach ((IngestItem item, StampedBody body) in batch.Stored<StampedBody>())
        {
            await OnStampedAsync(batch, item, body, connection, transaction, cancellationToken);
        }

        foreach ((IngestItem item, RefusedBody body) in batch.Stored<RefusedBody>())
        {
            if (await UseTokenStore.FindInBatchAsync(body.TokenId, batch) is { } token && token.DeviceId == item.DeviceId)
            {
                BatchUseCounts.Of(batch).RecordRefusal(token);
            }
        }

        await BatchUseCounts.Of(batch).SaveAsync(batch);
    }

    private async Task OnDispensedAsync(IngestBatch batch, IngestItem item, DispensedBody body, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // Binding (Checkouts/BindingHandler) let through only a cabinet's dispense under its own token for this seal.
        if (await UseTokenStore.FindInBatchAsync(body.TokenId, batch) is not { } token)
        {
            return;
        }

        await ReconcileUseAsync(batch, item, token, null, body.Compartment, connection, transaction, cancellationToken);
        Checkout? checkout = await CheckoutStore.FindAsync(token.ApplicationId, connection, transaction);
        if (checkout != null && checkout.Status is CheckoutStatus.Dispensing or CheckoutStatus.Awaiting)
        {
            await CheckoutStore.UpdateAsync(checkout with { Status = CheckoutStatus.Out, OutMs = item.Envelope.Time, UpdatedMs = item.Envelope.Time }, connection, transaction);
        }

        await SealRegistry.SetLocationAsync(connection, transaction, body.SealId, SealLocationKind.Person, checkout?.Holder, item.Envelope.Time);
    }

    private async Task OnReturnedAsync(IngestItem item, ReturnedBody body, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // Binding let through only a return into a compartment the cloud opened for this seal.
        string deviceId = item.DeviceId!;
        if (await CheckoutStore.OutForSealAsync(body.SealId, connection, transaction) is { } checkout)
        {
            await CheckoutStore.UpdateAsync(checkout with { Status = CheckoutStatus.Returned, ReturnedMs = item.Envelope.Time, UpdatedMs = item.Envelope.Time }, connection, transaction);
            if (checkout.OverdueMs != null && checkout.DeviceId != null)
            {
                await alarms.ClearAsync(checkout.DeviceId, CheckoutAlarms.OverdueReturn, checkout.Compartment ?? 0, "system", $"seal {body.SealId} returned", connection, transaction, cancellationToken);
            }
        }

        await SealRegistry.SetLocationAsync(connection, transaction, body.SealId, SealLocationKind.Cabinet, CheckoutService.CabinetPlace(deviceId, body.Compartment), item.Envelope.Time);
    }

    private async Task OnStampedAsync(IngestBatch batch, IngestItem item, StampedBody body, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // Binding let through only stamps under a token issued to this lock.
        if (await UseTokenStore.FindInBatchAsync(body.TokenId, batch) is not { } token)
        {
            return;
        }

        await ReconcileUseAsync(batch, item, token, body.Fix, 0, connection, transaction, cancellationToken);
    }

    /// <summary>Counts one use on the token and raises an alarm for each way it disagrees with what was issued.</summary>
    private async Task ReconcileUseAsync(IngestBatch batch, IngestItem item, IssuedToken token, GeoFix? fix, int compartment, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        string deviceId = item.DeviceId!;
        long at = item.Envelope.Time;
        long skew = (long)options.Value.ClockSkew.TotalMilliseconds;
        (long used, long? contradicts) = BatchUseCounts.Of(batch).RecordUse(token, item.Envelope.Seq, at);
        string use = $"use {used} of token {token.Jti} ({token.ApplicationId})";
        if (used > token.Uses)
        {
            await RaiseAsync(deviceId, CheckoutAlarms.TokenOveruse, compartment, $"{use}: only {token.Uses} approved", connection, transaction, cancellationToken);
        }

        if (contradicts is { } other)
        {
            await RaiseAsync(deviceId, CheckoutAlarms.UseOutOfOrder, compartment, $"{use}: seq {item.Envelope.Seq} at {Time(at)} contradicts seq {other} (the device's seq and clock order disagree)", connection, transaction, cancellationToken);
        }

        if (token.RevokedMs is { } revoked && at > revoked + skew)
        {
            await RaiseAsync(deviceId, CheckoutAlarms.UseNotCovered, compartment, $"{use} at {Time(at)}, after the token was revoked at {Time(revoked)} ({token.RevokedReason})", connection, transaction, cancellationToken);
        }
        else if (at < token.NotBeforeMs - skew || at > token.ExpiresMs + skew)
        {
            await RaiseAsync(deviceId, CheckoutAlarms.UseNotCovered, compartment, $"{use} at {Time(at)}, outside its window {Time(token.NotBeforeMs)} .. {Time(token.ExpiresMs)}", connection, transaction, cancellationToken);
        }

        if (fix != null && token.Mode == "lock"
            && await useFacts.ApplicationAsync(token, batch) is { Content.Location: { } limit })
        {
            GeoFence fence = ToFence(limit);
            GeoFenceCheck where = fence.Check(GeoFence.ToDegrees(fix.LatE7), GeoFence.ToDegrees(fix.LonE7), fix.AccuracyCm / 100.0, out double inside);
            if (where == GeoFenceCheck.Outside)
            {
                await RaiseAsync(deviceId, CheckoutAlarms.UseOutsideFence, compartment, $"{use} {(-inside).ToString("F0", CultureInfo.InvariantCulture)} m outside the approved area", connection, transaction, cancellationToken);
            }
        }
    }

    public static GeoFence ToFence(LocationLimit limit) => limit.Circle is { } circle
        ? new SmartSeal.Protocol.Geo.GeoCircle(GeoFence.ToE7(circle.Lat), GeoFence.ToE7(circle.Lon), (int)Math.Round(circle.RadiusM))
        : new GeoPolygon(limit.Polygon!.Select(p => GeoFence.ToE7(p.Lat)).ToArray(), limit.Polygon!.Select(p => GeoFence.ToE7(p.Lon)).ToArray());

    private Task RaiseAsync(string deviceId, string type, int compartment, string detail, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        alarms.RaiseAsync(deviceId, type, compartment, detail, connection, transaction, cancellationToken);

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("u", CultureInfo.InvariantCulture);
}
