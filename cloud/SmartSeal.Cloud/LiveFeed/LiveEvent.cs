namespace SmartSeal.Cloud.LiveFeed;

/// <summary>
/// One entry of the live feed: an SSE event name (<c>alarm</c>, <c>presence</c>, <c>device-event</c>),
/// the device it concerns, and its JSON data. <see cref="Id"/> is <c>{boot}-{seq}</c>: the boot part
/// tells a resuming client whether its <c>Last-Event-ID</c> belongs to this process at all.
/// </summary>
public sealed record LiveEvent(string Id, long Seq, string Event, string DeviceId, string Data);
