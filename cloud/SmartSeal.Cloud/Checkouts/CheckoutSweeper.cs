using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// Periodically: raises the overdue-return alarm (with its webhooks: the reminder) for every seal
/// not back by the end of its window and tells the holder (and, before that, that a lock trip ends soon), and puts a dispense nobody completed before its cabinet
/// token expired back to awaiting (the token revoked), so the applicant can be served again.
/// </summary>
public sealed class CheckoutSweeper(
    Database database, AlarmService alarms, CheckoutNotices notices, IOptions<CheckoutOptions> options, TimeProvider time, ILogger<CheckoutSweeper> logger)
    : BackgroundService
{
    /// <summary>One sweep now; returns how many checkouts it changed.</summary>
    public Task<int> SweepAsync(CancellationToken cancellationToken = default) =>
        SweepAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);

    /// <summary>One sweep as of <paramref name="now"/> (Unix ms); returns how many checkouts it changed.</summary>
    public async Task<int> SweepAsync(long now, CancellationToken cancellationToken = default)
    {
        int changed = 0;
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        foreach (Checkout overdue in await CheckoutStore.ListAsync(null, "out", connection))
        {
            if (overdue.Mode == "lock" && !overdue.IsOverdue(now) && overdue.DueMs - now <= (long)options.Value.TripEndingNotice.TotalMilliseconds)
            {
                await notices.TripEndingSoonAsync(overdue, cancellationToken); // once per checkout (dedupe key)
            }

            if (!overdue.IsOverdue(now) || overdue.OverdueMs != null || overdue.DeviceId == null)
            {
                continue;
            }

            await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
            await CheckoutStore.UpdateAsync(overdue with { OverdueMs = now, UpdatedMs = now }, connection, transaction);
            string due = DateTimeOffset.FromUnixTimeMilliseconds(overdue.DueMs).ToString("u", CultureInfo.InvariantCulture);
            await alarms.RaiseAsync(overdue.DeviceId, CheckoutAlarms.OverdueReturn, overdue.Compartment ?? 0,
                $"seal {overdue.SealId} held by {overdue.Holder} for {overdue.ApplicationId} was due back at {due}", connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogWarning("Seal {Seal} held by {Holder} ({Application}) is overdue since {Due}", overdue.SealId, overdue.Holder, overdue.ApplicationId, due);
            await notices.OverdueAsync(overdue, cancellationToken);
            changed++;
        }

        foreach (Checkout stale in await CheckoutStore.ListAsync(null, "dispensing", connection))
        {
            IssuedToken? token = stale.TokenId == null ? null : await UseTokenStore.FindAsync(stale.TokenId, connection, null);
            if (token != null && token.ExpiresMs > now)
            {
                continue;
            }

            await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (token != null)
            {
                await UseTokenStore.RevokeAsync(token.Jti, "not collected before expiry", now, connection, transaction);
            }

            await CheckoutStore.UpdateAsync(stale with { Status = CheckoutStatus.Awaiting, DeviceId = null, Compartment = null, TokenId = null, UpdatedMs = now }, connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Dispense for {Application} was not completed before its token expired; it awaits collection again", stale.ApplicationId);
            changed++;
        }

        return changed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("Checkout sweep failed ({Message}); trying again in {Interval}", e.Message, options.Value.SweepInterval);
            }
        }
    }
}
