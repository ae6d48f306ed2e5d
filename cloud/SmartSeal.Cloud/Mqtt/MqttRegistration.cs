using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.IotHub;

namespace SmartSeal.Cloud.Mqtt;

public static class MqttRegistration
{
    /// <summary>The embedded broker (default) or a client of an external MQTT 5 broker, by <c>SmartSeal:Mqtt:Mode</c>.</summary>
    public static void AddMqtt(this WebApplicationBuilder builder)
    {
        MqttMode mode = builder.Configuration.GetValue($"{SmartSealOptions.Section}:Mqtt:Mode", MqttMode.Embedded);
        if (mode == MqttMode.IotHub)
        {
            builder.AddIotHub();
        }
        else if (mode == MqttMode.External)
        {
            builder.Services.AddSingleton<ExternalDeviceBroker>();
            builder.Services.AddSingleton<IDeviceBroker>(sp => sp.GetRequiredService<ExternalDeviceBroker>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ExternalDeviceBroker>());
        }
        else
        {
            builder.Services.AddSingleton<EmbeddedDeviceBroker>();
            builder.Services.AddSingleton<IDeviceBroker>(sp => sp.GetRequiredService<EmbeddedDeviceBroker>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedDeviceBroker>());
        }
    }
}
