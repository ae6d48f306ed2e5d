namespace SmartSeal.Cloud.Notifications;

/// <summary>
/// What happened, in the words a title needs: the person who did it (a login; the notice prints
/// their name), the seal by name, the application / checkout / alarm it is about, an optional detail
/// (an alarm's text, a due time) and the portal path to open. <see cref="DedupeKey"/> makes a sweeper's
/// notice ("trip ends soon for checkout c-1") arrive once per recipient however often it runs.
/// </summary>
public sealed record Notice(
    NoticeKind Kind,
    string? Actor = null,
    string? SealName = null,
    string? SubjectId = null,
    string? Detail = null,
    string? Link = null,
    string? DedupeKey = null);
