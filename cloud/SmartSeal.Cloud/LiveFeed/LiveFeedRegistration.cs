namespace SmartSeal.Cloud.LiveFeed;

public static class LiveFeedRegistration
{
    /// <summary>
    /// The live feed: the in-memory hub (ring of recent events for clients that resume) and the
    /// sources that publish into it. The ring size comes from the caller, so the feed does not read
    /// the host's options itself (its key stays <c>SmartSeal:Alarms:LiveFeed:RingSize</c>).
    /// </summary>
    public static void AddLiveFeed(this WebApplicationBuilder builder, Func<IServiceProvider, int> ringSize)
    {
        builder.Services.AddSingleton(sp => new LiveFeedHub(ringSize(sp)));
        builder.Services.AddHostedService<LiveFeedSources>();
    }
}
