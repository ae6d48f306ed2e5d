using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Firmware.Link
{
    /// <summary>
    /// One MQTT client connection, as thin as the libraries allow: M2Mqtt over Wi-Fi on the
    /// cabinet, the SIM7080 modem's own MQTT stack on the lock, MQTTnet in the simulators. It does
    /// not reconnect by itself; <see cref="CloudLink"/> decides when to try again.
    /// All calls are blocking and QoS 1.
    /// </summary>
    public interface IMqttTransport
    {
        bool IsConnected { get; }

        /// <summary>Opens the session. Returns null on success, else a short reason ("refused: bad credentials", "timeout").</summary>
        string Connect(MqttConnectOptions options);

        /// <summary>Subscribes with QoS 1; false when the broker refused or the connection dropped.</summary>
        bool Subscribe(string[] topics);

        /// <summary>Publishes with QoS 1; false when not connected or not accepted.</summary>
        bool Publish(string topic, byte[] payload, bool retain);

        /// <summary>Closes the session cleanly (the broker does not send the last will).</summary>
        void Disconnect();

        event MessageReceivedHandler MessageReceived;

        /// <summary>Raised with false when the connection drops without <see cref="Disconnect"/>.</summary>
        event ConnectionChangedHandler ConnectionLost;
    }
}
