namespace SmartSeal.Cloud.Notifications;

/// <summary>One work notice as a channel sends it: to whom (their id on that platform), title, second line, and the portal link (or null).</summary>
public sealed record WorkNotice(string User, string Title, string Body, string? Url, string OpenLabel);
