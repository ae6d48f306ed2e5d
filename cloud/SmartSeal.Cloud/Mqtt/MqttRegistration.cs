using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Hosting;

namespace SmartSeal.Cloud.Mqtt;

public static class MqttRegistration
{
    /// <summary>
    /// The embedded broker (default) or a client of an external MQTT 5 broker, by
    /// <c>SmartSeal:Mqtt:Mode</c>. The mode is read from the bound options when the broker is
    /// first needed, so every configuration source counts (including ones added after registration).
    /// </summary>
    public static void AddMqtt(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EmbeddedDeviceBroker>();
        builder.Services.AddSingleton<ExternalDeviceBroker>();
        builder.Services.AddSingleton<IDeviceBroker>(sp => sp.GetRequiredService<IOptions<SmartSealOptions>>().Value.Mqtt.Mode == MqttMode.External
            ? sp.GetRequiredService<ExternalDeviceBroker>()
            : sp.GetRequiredService<EmbeddedDeviceBroker>());
        builder.Services.AddSingleton<IHostedService>(sp => (IHostedService)sp.GetRequiredService<IDeviceBroker>());
    }
}
