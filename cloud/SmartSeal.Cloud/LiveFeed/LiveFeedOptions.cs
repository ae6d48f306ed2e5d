namespace SmartSeal.Cloud.LiveFeed;

/// <summary>
/// Section <c>SmartSeal:Alarms:LiveFeed</c> (under the alarms section, where it was configured
/// before the live feed became a module of its own): the server-sent events feed at
/// <c>/api/events/stream</c>.
/// </summary>
public sealed class LiveFeedOptions
{
    public const string Section = "SmartSeal:Alarms:LiveFeed";

    /// <summary>Events kept in memory for clients that resume with <c>Last-Event-ID</c>.</summary>
    public int RingSize { get; set; } = 2048;

    /// <summary>A comment line sent when nothing else was, so proxies keep the stream open.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);
}
