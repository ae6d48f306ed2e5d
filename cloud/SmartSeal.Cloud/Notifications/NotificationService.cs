using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Notifications;

/// <summary>
/// The inbox and the work-notice outbox. <see cref="NotifyAsync"/> writes, in one transaction, one
/// <c>notices</c> row per active recipient (names resolved now, so the notice reads as it was) and one
/// <c>notice_deliveries</c> row per channel they chose, its title in their language; after commit it
/// raises <see cref="Added"/> (the live feed pushes it to their portal) and wakes the
/// <see cref="NotificationDispatcher"/>. Nothing here talks to the network.
/// </summary>
public sealed class NotificationService(
    Database database, OrgDirectory organisation, WorkNoticeChannels channels, IOptionsMonitor<NotificationOptions> options, TimeProvider time,
    ILogger<NotificationService> logger) : INotifications
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Raised after commit for each notice added; handlers must not throw or block.</summary>
    public event Action<NoticeAdded>? Added;

    public async Task NotifyAsync(IReadOnlyCollection<string> recipients, Notice notice, CancellationToken cancellationToken = default)
    {
        string[] logins = recipients.Where(r => !string.IsNullOrWhiteSpace(r) && r != notice.Actor).Distinct(StringComparer.Ordinal).ToArray();
        if (logins.Length == 0)
        {
            return;
        }

        IReadOnlySet<string> active = await organisation.ActiveLoginsAsync(logins, cancellationToken);
        string? actorName = null;
        if (notice.Actor is { } actor)
        {
            actorName = (await organisation.PeopleAsync([actor], cancellationToken)).TryGetValue(actor, out PersonCard? card) ? card.Name : actor;
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        NotificationOptions settingsOfServer = options.CurrentValue;
        IReadOnlyList<string> configured = channels.Configured(settingsOfServer);
        var added = new List<NoticeAdded>();
        int deliveries = 0;
        await using (DbConnection connection = await database.OpenAsync(cancellationToken))
        {
            await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
            Dictionary<string, NotificationSettings> settings = await NotificationSettingsStore.ReadAsync(connection, transaction, logins, cancellationToken);
            foreach (string recipient in logins)
            {
                if (!active.Contains(recipient))
                {
                    logger.LogInformation("Notice {Kind} not sent to {Recipient}: no active account", notice.Kind, recipient);
                    continue;
                }

                long? id = await connection.QueryFirstOrDefaultAsync<long?>(
                    """
                    INSERT INTO notices (recipient, kind, actor_name, seal_name, subject_id, detail, link, dedupe_key, created_ms, read_ms)
                    VALUES (@recipient, @kind, @actorName, @SealName, @SubjectId, @Detail, @Link, @DedupeKey, @now, NULL)
                    ON CONFLICT (recipient, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
                    RETURNING id
                    """,
                    new { recipient, kind = notice.Kind.ToString(), actorName, notice.SealName, notice.SubjectId, notice.Detail, notice.Link, notice.DedupeKey, now },
                    transaction);
                if (id is null)
                {
                    continue; // already told (a sweeper's repeat)
                }

                NotificationSettings choice = settings.GetValueOrDefault(recipient, NotificationSettings.Default);
                string title = NoticeText.Title(notice.Kind, choice.Language, actorName, notice.SealName, notice.SubjectId, notice.Detail);
                foreach (string channel in choice.Channels)
                {
                    if (!configured.Contains(channel) || choice.UserOn(channel) is not { } channelUser)
                    {
                        logger.LogWarning("Notice {Id} to {Recipient}: channel {Channel} chosen but not usable (not configured on this server or no user id)", id, recipient, channel);
                        continue;
                    }

                    await connection.ExecuteAsync(
                        """
                        INSERT INTO notice_deliveries (notice_id, channel, channel_user, language, title, body, status, attempts, next_attempt_ms, created_ms)
                        VALUES (@id, @channel, @channelUser, @language, @title, @body, 'pending', 0, @now, @now)
                        """,
                        new { id, channel, channelUser, language = choice.Language, title, body = NoticeText.Body(choice.Language, notice.SubjectId), now },
                        transaction);
                    deliveries++;
                }

                added.Add(new NoticeAdded(
                    recipient, id.Value, notice.Kind, title,
                    NoticeText.Languages.ToDictionary(l => l, l => NoticeText.Title(notice.Kind, l, actorName, notice.SealName, notice.SubjectId, notice.Detail)),
                    notice.Link, now));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        foreach (NoticeAdded one in added)
        {
            Added?.Invoke(one);
        }

        if (deliveries > 0)
        {
            Wake();
        }
    }

    /// <summary>The newest notices of <paramref name="login"/> first, titles in <paramref name="language"/>.</summary>
    public async Task<Inbox> InboxAsync(string login, string language, bool unreadOnly, int limit, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        IEnumerable<NoticeRow> rows = await connection.QueryAsync<NoticeRow>(
            $"SELECT {NoticeRow.Columns} FROM notices WHERE recipient = @login{(unreadOnly ? " AND read_ms IS NULL" : string.Empty)} ORDER BY id DESC LIMIT @limit",
            new { login, limit = Math.Clamp(limit, 1, 500) });
        return new Inbox(rows.Select(r => r.ToInbox(language)).ToList(), await UnreadAsync(login, cancellationToken));
    }

    /// <summary>How many of <paramref name="login"/>'s notices are unread (the portal's menu badge).</summary>
    public async Task<int> UnreadAsync(string login, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notices WHERE recipient = @login AND read_ms IS NULL", new { login });
    }

    /// <summary>Marks one of the caller's own notices read (a notice of someone else is "not found", never touched).</summary>
    public async Task<ChangeResult<InboxNotice>> MarkReadAsync(string login, long id, string language, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        NoticeRow? row = await connection.QueryFirstOrDefaultAsync<NoticeRow>(
            $"UPDATE notices SET read_ms = COALESCE(read_ms, @now) WHERE id = @id AND recipient = @login RETURNING {NoticeRow.Columns}",
            new { id, login, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return row is null ? ChangeResult<InboxNotice>.NotFound($"you have no notice {id}") : ChangeResult<InboxNotice>.Ok(row.ToInbox(language));
    }

    /// <summary>Marks all of the caller's notices read; returns how many were unread.</summary>
    public async Task<int> MarkAllReadAsync(string login, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE notices SET read_ms = @now WHERE recipient = @login AND read_ms IS NULL", new { login, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
    }

    /// <summary>The work-notice deliveries of one of the caller's notices, or null when it is not theirs.</summary>
    public async Task<IReadOnlyList<NoticeDelivery>?> DeliveriesAsync(string login, long id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notices WHERE id = @id AND recipient = @login", new { id, login }) == 0)
        {
            return null;
        }

        return (await connection.QueryAsync<NoticeDelivery>(
            "SELECT id AS Id, channel AS Channel, status AS Status, attempts AS Attempts, last_error AS LastError, delivered_ms AS DeliveredMs FROM notice_deliveries WHERE notice_id = @id ORDER BY channel",
            new { id })).ToList();
    }

    /// <summary>Tells the dispatcher there may be work (it also polls, for rows other instances wrote).</summary>
    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    internal async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _signal.WaitAsync(timeout, cancellationToken);
}
