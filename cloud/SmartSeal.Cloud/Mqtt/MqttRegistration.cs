using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.Mqtt;

public static class MqttRegistration
{
    /// <summary>
    /// The MQTT transports: the embedded broker (with MQTT over WebSocket) and the client of an
    /// external MQTT 5 broker. Which one serves is chosen by the host (<c>AddDeviceTransport</c>).
    /// </summary>
    public static void AddMqtt(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.Section);
        builder.Services.AddConnections();
        builder.Services.AddSingleton<MQTTnet.AspNetCore.MqttConnectionHandler>();
        builder.Services.AddSingleton<EmbeddedDeviceBroker>();
        builder.Services.AddSingleton<ExternalDeviceBroker>();
    }
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
