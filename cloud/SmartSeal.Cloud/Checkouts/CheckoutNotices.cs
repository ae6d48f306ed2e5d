using System.Data.Common;
using System.Globalization;
using Dapper;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Notifications;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// What the holder of a seal is told, after commit: their lock trip ends soon, the seal is overdue, an alarm was raised on the lock that carries it. Each
/// sweeper notice has a dedupe key per checkout, so it arrives once however often the sweep runs.
/// A notice that cannot be written is logged as an error; the checkout stays as it is.
/// </summary>
public sealed class CheckoutNotices(INotifications notifications, SealDirectory seals, Database database, AlarmService alarms, ILogger<CheckoutNotices> logger)
    : IHostedService
{
    public Task TripEndingSoonAsync(Checkout checkout, CancellationToken cancellationToken) =>
        SendAsync(checkout.Holder, NoticeKind.TripEndingSoon, checkout.SealId, checkout.ApplicationId, Due(checkout.DueMs), "ending:" + checkout.ApplicationId, cancellationToken);

    public Task OverdueAsync(Checkout checkout, CancellationToken cancellationToken) =>
        SendAsync(checkout.Holder, NoticeKind.SealOverdue, checkout.SealId, checkout.ApplicationId, Due(checkout.DueMs), "overdue:" + checkout.ApplicationId, cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        alarms.Changed += OnAlarm;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        alarms.Changed -= OnAlarm;
        return Task.CompletedTask;
    }

    /// <summary>A new alarm on a lock that carries a seal out: its holder hears of it (the overdue alarm has its own notice).</summary>
    private void OnAlarm(AlarmChange change)
    {
        if (change.Kind == AlarmChangeKind.Raised && change.Type != CheckoutAlarms.OverdueReturn)
        {
            // Off the raising thread: inside an ingest batch the raiser holds SQLite's write lock, and
            // Microsoft.Data.Sqlite's async calls run synchronously, so writing the notice inline would
            // wait on that lock from the very thread that holds it (busy timeout, "database is locked").
            _ = Task.Run(() => AlarmOnSealAsync(change));
        }
    }

    private async Task AlarmOnSealAsync(AlarmChange change)
    {
        try
        {
            IEnumerable<(string ApplicationId, string SealId, string Holder)> carried;
            await using (DbConnection connection = await database.OpenAsync(CancellationToken.None))
            {
                carried = await connection.QueryAsync<(string, string, string)>(
                    "SELECT application_id, seal_id, holder FROM checkouts WHERE status = 'out' AND mode = 'lock' AND device_id = @DeviceId", new { change.DeviceId });
            }

            foreach ((string applicationId, string sealId, string holder) in carried)
            {
                await SendAsync(holder, NoticeKind.AlarmOnSeal, sealId, applicationId, change.Detail ?? change.Type, "alarm:" + change.Id + ":" + applicationId, CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Alarm {Alarm} on {Device}: the holders could not be told", change.Id, change.DeviceId);
        }
    }

    private async Task SendAsync(string holder, NoticeKind kind, string sealId, string applicationId, string? detail, string dedupeKey, CancellationToken cancellationToken)
    {
        try
        {
            string? sealName = (await seals.NamesAsync([sealId], cancellationToken)).GetValueOrDefault(sealId);
            await notifications.NotifyAsync(
                [holder], new Notice(kind, null, sealName, applicationId, detail, "/Applications/Detail/" + Uri.EscapeDataString(applicationId), dedupeKey), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Notice {Kind} for {Application} to {Holder} could not be written", kind, applicationId, holder);
        }
    }

    private static string Due(long dueMs) => DateTimeOffset.FromUnixTimeMilliseconds(dueMs).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
