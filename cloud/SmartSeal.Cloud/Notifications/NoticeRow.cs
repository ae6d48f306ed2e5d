namespace SmartSeal.Cloud.Notifications;

/// <summary>A <c>notices</c> row as stored.</summary>
internal sealed record NoticeRow
{
    public const string Columns = "id AS Id, recipient AS Recipient, kind AS Kind, actor_name AS ActorName, seal_name AS SealName, subject_id AS SubjectId, detail AS Detail, link AS Link, created_ms AS CreatedMs, read_ms AS ReadMs";

    public long Id { get; init; }

    public string Recipient { get; init; } = string.Empty;

    public string Kind { get; init; } = string.Empty;

    public string? ActorName { get; init; }

    public string? SealName { get; init; }

    public string? SubjectId { get; init; }

    public string? Detail { get; init; }

    public string? Link { get; init; }

    public long CreatedMs { get; init; }

    public long? ReadMs { get; init; }

    public NoticeKind KindValue => Enum.Parse<NoticeKind>(Kind);

    public string TitleIn(string language) => NoticeText.Title(KindValue, language, ActorName, SealName, SubjectId, Detail);

    public InboxNotice ToInbox(string language) => new(Id, KindValue, TitleIn(language), ActorName, SealName, SubjectId, Detail, Link, CreatedMs, ReadMs);
}
