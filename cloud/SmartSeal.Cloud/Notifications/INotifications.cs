namespace SmartSeal.Cloud.Notifications;

/// <summary>
/// Tells people about what they must act on or want to know. Call it after your transaction has
/// committed (a rolled-back change must not announce itself): each recipient gets the notice in their
/// portal inbox (pushed live) and, on the channels they chose, as a DingTalk / WeCom / Feishu work
/// notice in their own language. Never throws for an unknown or inactive recipient: they are skipped.
/// </summary>
public interface INotifications
{
    /// <summary>Records and sends <paramref name="notice"/> to each login in <paramref name="recipients"/> (duplicates and the actor themself are dropped).</summary>
    Task NotifyAsync(IReadOnlyCollection<string> recipients, Notice notice, CancellationToken cancellationToken = default);
}
