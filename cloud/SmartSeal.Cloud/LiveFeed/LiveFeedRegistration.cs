using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.LiveFeed;

public static class LiveFeedRegistration
{
    /// <summary>
    /// The live feed: the in-memory hub (ring of recent events for clients that resume) and the
    /// sources that publish into it.
    /// </summary>
    public static void AddLiveFeed(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveFeedOptions>().BindConfiguration(LiveFeedOptions.Section)
            .Validate(o => o.RingSize >= 1, "SmartSeal:Alarms:LiveFeed:RingSize must be positive")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new LiveFeedHub(sp.GetRequiredService<IOptions<LiveFeedOptions>>().Value.RingSize));
        builder.Services.AddHostedService<LiveFeedSources>();
    }
}
