using SmartSeal.Cloud.Organisation.Authorization;

namespace SmartSeal.Cloud.Seals;

public static class SealsRegistration
{
    public static void AddSeals(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SealOptions>().BindConfiguration(SealOptions.Section);
        builder.Services.AddSingleton<SealRegistry>().AddSingleton<TransitionApprovals>().AddSingleton<InventoryService>().AddSingleton<SealHolds>();
        builder.Services.AddSingleton<SealDirectory>();
        builder.Services.AddSingleton<LiveFeed.ILiveFeedSeals, LiveFeedSeals>();
        builder.Services.AddObjectUnits<SealUnits>();
    }
}
