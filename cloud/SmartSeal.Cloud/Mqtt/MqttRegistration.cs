using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.IotHub;

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
        // The mode is read from the bound options when the container builds them, so configuration
        // added late (tests, environment) still decides it. Every broker type is registered; one serves.
        builder.Services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.Section);
        builder.Services.AddConnections();
        builder.Services.AddSingleton<MQTTnet.AspNetCore.MqttConnectionHandler>();
        builder.Services.AddSingleton<EmbeddedDeviceBroker>();
        builder.Services.AddSingleton<ExternalDeviceBroker>();
        builder.AddIotHub();
        builder.Services.AddSingleton<IDeviceBroker>(sp => sp.GetRequiredService<IOptions<MqttOptions>>().Value.Mode switch
        {
            MqttMode.External => sp.GetRequiredService<ExternalDeviceBroker>(),
            MqttMode.IotHub => sp.GetRequiredService<IotHub.IotHubDeviceBroker>(),
            _ => sp.GetRequiredService<EmbeddedDeviceBroker>(),
        });
        builder.Services.AddHostedService<DeviceBrokerHost>();
    }
}

/// <summary>Starts and stops the chosen broker when it has a lifetime of its own (the IoT Hub client has none).</summary>
internal sealed class DeviceBrokerHost(IDeviceBroker broker) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => broker is IHostedService hosted ? hosted.StartAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => broker is IHostedService hosted ? hosted.StopAsync(cancellationToken) : Task.CompletedTask;
}

public static class MqttEndpoints
{
    /// <summary><c>/mqtt</c>: MQTT over WebSocket into the embedded broker, when <c>SmartSeal:Mqtt:WebSocket</c> is on.</summary>
    public static void MapMqttWebSocket(this WebApplication app)
    {
        MqttOptions options = app.Services.GetRequiredService<IOptions<MqttOptions>>().Value;
        if (options.Mode != MqttMode.Embedded || !options.WebSocket)
        {
            return;
        }

        app.UseWebSockets();
        app.MapConnectionHandler<MQTTnet.AspNetCore.MqttConnectionHandler>("/mqtt", o =>
            o.WebSockets.SubProtocolSelector = protocols => MQTTnet.AspNetCore.MqttSubProtocolSelector.SelectSubProtocol(protocols))
            .AllowAnonymous(); // devices authenticate in MQTT's CONNECT with their key, not over HTTP
    }
}
