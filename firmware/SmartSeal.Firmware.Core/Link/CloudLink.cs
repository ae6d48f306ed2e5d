using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Link
{
    /// <summary>
    /// The device's session with a SmartSeal broker (the cloud's embedded one, or Mosquitto and
    /// friends) over any <see cref="IMqttTransport"/>: username = device id, the SAS-style broker
    /// password, the retained signed offline status as last will, and — after every (re)connect —
    /// the retained desired state subscribed alone and handed to the controller before commands
    /// and acks are subscribed and the link is reported up (which replays the outbox). A broker
    /// with no retained state for the device (never configured) lets the wait run out, then the
    /// link goes up. Non-blocking: the main loop (or the simulator's scheduler) calls <see cref="BrokerSession.Poll"/>.
    /// </summary>
    public class CloudLink : BrokerSession
    {
        private readonly string _desiredTopic;
        private readonly string _statusTopic;

        public CloudLink(DeviceIdentity identity, IMqttTransport transport, IClock clock, CloudLinkSettings settings, string firmware)
            : base(identity, transport, clock, settings, firmware)
        {
            _desiredTopic = DeviceTopics.For(identity.DeviceId, TopicKind.DesiredState);
            _statusTopic = DeviceTopics.For(identity.DeviceId, TopicKind.Status);
        }

        protected override string StatusTopic
        {
            get { return _statusTopic; }
        }

        protected override bool RetainsStatus
        {
            get { return true; }
        }

        /// <summary>No retained desired state: the cloud never configured this device yet.</summary>
        protected override string SilenceFailure
        {
            get { return null; }
        }

        public override bool Publish(string topic, byte[] payload, bool retain)
        {
            if (!IsConnected)
            {
                return false;
            }

            return Transport.Publish(topic, payload, retain);
        }

        protected override string Username()
        {
            return Identity.DeviceId;
        }

        protected override string Credential(long expiryUnixSeconds)
        {
            return BrokerPassword.Create(Identity.DeviceId, Identity.Key, expiryUnixSeconds);
        }

        protected override string BeginDesiredState()
        {
            return Transport.Subscribe(new string[] { _desiredTopic }) ? null : "subscribe to desired state refused";
        }

        protected override string[] LiveTopics()
        {
            return new string[]
            {
                DeviceTopics.For(Identity.DeviceId, TopicKind.Commands),
                DeviceTopics.For(Identity.DeviceId, TopicKind.Acks),
            };
        }

        protected override void OnTransportMessage(string topic, byte[] payload)
        {
            if (Phase == CloudLinkPhase.AwaitingDesiredState && topic == _desiredTopic)
            {
                DesiredStateHandled = true;
            }

            // Everything is handed on (the inbox judges it); with a clean session and commands
            // subscribed only after the desired state, nothing else can overtake it.
            Deliver(topic, payload);
        }
    }
}
