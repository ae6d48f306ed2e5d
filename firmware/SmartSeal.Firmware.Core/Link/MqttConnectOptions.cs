namespace SmartSeal.Firmware.Link
{
    /// <summary>What <see cref="IMqttTransport.Connect"/> needs; built fresh by <see cref="CloudLink"/> for every attempt.</summary>
    public class MqttConnectOptions
    {
        /// <summary>The device id (client id and username are both the device id).</summary>
        public string ClientId;

        public string Username;

        /// <summary>SAS-style broker password (<c>v1.{expiry}.{mac}</c>), minted for this attempt.</summary>
        public string Password;

        /// <summary>Retained offline status the broker publishes if the device vanishes.</summary>
        public string WillTopic;

        public byte[] WillPayload;

        public int KeepAliveSeconds;

        /// <summary>False: the broker keeps the device's QoS 1 subscriptions and queued commands across reconnects.</summary>
        public bool CleanSession;
    }
}
