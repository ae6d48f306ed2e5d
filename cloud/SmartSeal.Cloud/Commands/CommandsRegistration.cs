using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Ingest;

namespace SmartSeal.Cloud.Commands;

public static class CommandsRegistration
{
    /// <summary>Commands with an offline queue, the retained desired state, their ingest handlers and background work.</summary>
    public static void AddCommands(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CommandOptions>().BindConfiguration(CommandOptions.Section);
        builder.Services.AddSingleton<CommandSignals>();
        builder.Services.AddSingleton<CommandDeliveryQueue>();
        builder.Services.AddSingleton<CommandService>();
        builder.Services.AddSingleton<DesiredStateService>();
        builder.Services.AddHostedService<CommandBackgroundService>();
        builder.Services.AddSingleton<DesiredStateRepublisher>().AddHostedService(sp => sp.GetRequiredService<DesiredStateRepublisher>());
        builder.Services.AddSingleton<IDeviceKeyRotated>(sp => sp.GetRequiredService<DesiredStateRepublisher>());
    }
}
