namespace SmartSeal.Firmware.Hardware
{
    /// <summary>Handler for an MQTT message that arrived for this device.</summary>
    public delegate void MessageReceivedHandler(string topic, byte[] payload);

    /// <summary>Handler for a change of the connection to the broker.</summary>
    public delegate void ConnectionChangedHandler(bool connected);

    /// <summary>
    /// The device's MQTT session (M2Mqtt on the ESP32, MQTTnet in the simulators). The
    /// implementation connects with the SAS-style password, registers the retained offline status
    /// as last will, subscribes to the device's cmd/desired/ack topics, and reconnects with backoff.
    /// </summary>
    public interface ICloudLink
    {
        bool IsConnected { get; }

        /// <summary>Publishes with QoS 1. False when not connected or the publish failed (the caller keeps the message queued).</summary>
        bool Publish(string topic, byte[] payload, bool retain);

        event MessageReceivedHandler MessageReceived;

        event ConnectionChangedHandler ConnectionChanged;
    }
}
