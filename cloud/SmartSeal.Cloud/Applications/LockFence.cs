namespace SmartSeal.Cloud.Applications;

/// <summary>The geofence a lock works under now: the location limit of the newest approved lock application for a seal inside it.</summary>
public sealed record LockFence(string SealId, string ApplicationId, LocationLimit Limit);
