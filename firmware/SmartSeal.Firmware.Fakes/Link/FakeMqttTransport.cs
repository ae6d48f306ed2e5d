using System.Collections;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;

namespace SmartSeal.Firmware.Link.Fakes
{
    /// <summary>
    /// A broker session under the test's control: keeps retained messages and subscriptions like a
    /// broker with a clean session, refuses connects on demand, drops the connection on command and
    /// records everything (connect options, subscriptions in order, publishes).
    /// </summary>
    public class FakeMqttTransport : IMqttTransport
    {
        private readonly Hashtable _retained = new Hashtable();
        private readonly ArrayList _subscribed = new ArrayList();
        private readonly ArrayList _published = new ArrayList();
        private readonly ArrayList _subscribeLog = new ArrayList();
        private readonly ArrayList _connects = new ArrayList();
        private bool _connected;

        public event MessageReceivedHandler MessageReceived;

        public event ConnectionChangedHandler ConnectionLost;

        /// <summary>When set, <see cref="Connect"/> fails with this reason.</summary>
        public string RefuseWith { get; set; }

        public bool IsConnected
        {
            get { return _connected; }
        }

        /// <summary><see cref="MqttConnectOptions"/> of every attempt, oldest first.</summary>
        public ArrayList Connects
        {
            get { return _connects; }
        }

        /// <summary>Every topic subscribed, in the order of the SUBSCRIBE calls.</summary>
        public ArrayList SubscribeLog
        {
            get { return _subscribeLog; }
        }

        /// <summary><see cref="PublishedMessage"/> items, oldest first.</summary>
        public ArrayList Published
        {
            get { return _published; }
        }

        public string Connect(MqttConnectOptions options)
        {
            _connects.Add(options);
            if (RefuseWith != null)
            {
                return RefuseWith;
            }

            _connected = true;
            _subscribed.Clear(); // clean session
            return null;
        }

        public bool Subscribe(string[] topics)
        {
            if (!_connected)
            {
                return false;
            }

            for (int i = 0; i < topics.Length; i++)
            {
                _subscribed.Add(topics[i]);
                _subscribeLog.Add(topics[i]);
            }

            // A broker sends the retained message right after the SUBACK.
            for (int i = 0; i < topics.Length; i++)
            {
                byte[] retained = (byte[])_retained[topics[i]];
                if (retained != null)
                {
                    Raise(topics[i], retained);
                }
            }

            return true;
        }

        public bool Publish(string topic, byte[] payload, bool retain)
        {
            if (!_connected)
            {
                return false;
            }

            _published.Add(new PublishedMessage(topic, payload, retain));
            if (retain)
            {
                _retained[topic] = payload;
            }

            return true;
        }

        public void Disconnect()
        {
            _connected = false;
        }

        /// <summary>The cloud publishes: retained messages are kept for later subscribers; live ones reach only current subscribers.</summary>
        public void CloudPublish(string topic, byte[] payload, bool retain)
        {
            if (retain)
            {
                _retained[topic] = payload;
            }

            if (_connected && _subscribed.Contains(topic))
            {
                Raise(topic, payload);
            }
        }

        /// <summary>The network goes away: the broker will publish the last will.</summary>
        public void Drop()
        {
            if (!_connected)
            {
                return;
            }

            _connected = false;
            MqttConnectOptions last = (MqttConnectOptions)_connects[_connects.Count - 1];
            _retained[last.WillTopic] = last.WillPayload;
            ConnectionChangedHandler handler = ConnectionLost;
            if (handler != null)
            {
                handler(false);
            }
        }

        public byte[] Retained(string topic)
        {
            return (byte[])_retained[topic];
        }

        private void Raise(string topic, byte[] payload)
        {
            MessageReceivedHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(topic, payload);
            }
        }
    }
}
