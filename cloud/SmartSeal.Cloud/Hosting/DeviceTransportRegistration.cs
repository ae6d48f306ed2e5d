using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.IotHub;
using SmartSeal.Cloud.Mqtt;

namespace SmartSeal.Cloud.Hosting;

public static class DeviceTransportRegistration
{
    /// <summary>
    /// The device transport: the embedded broker (default), a client of an external MQTT 5 broker,
    /// or Azure IoT Hub, by <c>SmartSeal:Mqtt:Mode</c>. Chosen here, above the transports, so no
    /// transport needs to know the others.
    /// </summary>
    public static void AddDeviceTransport(this WebApplicationBuilder builder)
    {
        // The mode is read from the bound options when the container builds them, so configuration
        // added late (tests, environment) still decides it. Every broker type is registered; one serves.
        builder.AddMqtt();
        builder.AddIotHub();
        builder.Services.AddSingleton<IDeviceBroker>(sp => sp.GetRequiredService<IOptions<MqttOptions>>().Value.Mode switch
        {
            MqttMode.External => sp.GetRequiredService<ExternalDeviceBroker>(),
            MqttMode.IotHub => sp.GetRequiredService<IotHubDeviceBroker>(),
            _ => sp.GetRequiredService<EmbeddedDeviceBroker>(),
        });
        builder.Services.AddHostedService<DeviceBrokerHost>();
    }
}
