namespace SmartSeal.Cloud.Notifications;

/// <summary>A notice as its recipient reads it: the title in the language asked for, the names as they were when it was sent.</summary>
public sealed record InboxNotice(
    long Id, NoticeKind Kind, string Title, string? ActorName, string? SealName, string? SubjectId, string? Detail, string? Link, long CreatedMs, long? ReadMs);

/// <summary>One page of a person's inbox and how many of their notices are unread.</summary>
public sealed record Inbox(IReadOnlyList<InboxNotice> Items, int Unread);

/// <summary>A notice just added, for the live push: both titles, so the portal shows the one of the language it is in.</summary>
public sealed record NoticeAdded(string Recipient, long Id, NoticeKind Kind, string Title, IReadOnlyDictionary<string, string> Titles, string? Link, long CreatedMs);

/// <summary>A work notice's delivery as its recipient may see it (attempts, last error).</summary>
public sealed record NoticeDelivery
{
    public long Id { get; init; }

    public string Channel { get; init; } = string.Empty;

    public string Status { get; init; } = string.Empty;

    public int Attempts { get; init; }

    public string? LastError { get; init; }

    public long? DeliveredMs { get; init; }
}
