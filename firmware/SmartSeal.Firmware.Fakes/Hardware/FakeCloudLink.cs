using System.Collections;

namespace SmartSeal.Firmware.Hardware.Fakes
{
    /// <summary>One message the device published through <see cref="FakeCloudLink"/>.</summary>
    public class PublishedMessage
    {
        public PublishedMessage(string topic, byte[] payload, bool retain)
        {
            Topic = topic;
            Payload = payload;
            Retain = retain;
        }

        public string Topic { get; private set; }

        public byte[] Payload { get; private set; }

        public bool Retain { get; private set; }
    }

    /// <summary>
    /// A broker connection under the test's control: records what the device publishes, delivers
    /// messages to it, and goes up or down on command.
    /// </summary>
    public class FakeCloudLink : ICloudLink
    {
        private readonly ArrayList _published = new ArrayList();
        private bool _connected;

        public event MessageReceivedHandler MessageReceived;

        public event ConnectionChangedHandler ConnectionChanged;

        public bool IsConnected
        {
            get { return _connected; }
        }

        /// <summary>Everything published so far, oldest first (<see cref="PublishedMessage"/> items).</summary>
        public ArrayList Published
        {
            get { return _published; }
        }

        public bool Publish(string topic, byte[] payload, bool retain)
        {
            if (!_connected)
            {
                return false;
            }

            _published.Add(new PublishedMessage(topic, payload, retain));
            return true;
        }

        public void SetConnected(bool connected)
        {
            if (_connected == connected)
            {
                return;
            }

            _connected = connected;
            ConnectionChangedHandler handler = ConnectionChanged;
            if (handler != null)
            {
                handler(connected);
            }
        }

        public void Deliver(string topic, byte[] payload)
        {
            MessageReceivedHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(topic, payload);
            }
        }
    }
}
