using System;
using System.Text;
using System.Threading;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Link;

namespace SmartSeal.Cabinet.Esp32
{
    /// <summary>
    /// <see cref="IMqttTransport"/> on nanoFramework.M2Mqtt over Wi-Fi (TLS 1.2; the broker's root
    /// CA is stored on the device with nanoff/Device Explorer, so no certificate is passed here).
    /// Subscribe and publish wait for the broker's SUBACK / PUBACK so "true" means accepted.
    /// </summary>
    public class M2MqttTransport : IMqttTransport
    {
        private readonly string _host;
        private readonly int _port;
        private readonly bool _tls;
        private readonly int _ackTimeoutMs;
        private readonly AutoResetEvent _acknowledged = new AutoResetEvent(false);
        private MqttClient _client;
        private readonly object _sync = new object();
        private ushort _ackedId;
        private bool _ackedOk;
        private bool _ackedValid;
        private bool _disconnecting;

        public M2MqttTransport(string host, int port, bool tls, int ackTimeoutMs)
        {
            _host = host;
            _port = port;
            _tls = tls;
            _ackTimeoutMs = ackTimeoutMs;
        }

        public event MessageReceivedHandler MessageReceived;

        public event ConnectionChangedHandler ConnectionLost;

        public bool IsConnected
        {
            get { return _client != null && _client.IsConnected; }
        }

        public string Connect(MqttConnectOptions options)
        {
            Drop();
            try
            {
                _client = new MqttClient(_host, _port, _tls, null, null, _tls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
                _client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
                _client.MqttMsgPublishReceived += OnPublishReceived;
                _client.MqttMsgPublished += OnPublished;
                _client.MqttMsgSubscribed += OnSubscribed;
                _client.ConnectionClosed += OnConnectionClosed;
                _disconnecting = false;

                // M2Mqtt takes the will as a string: envelopes are UTF-8 JSON, so nothing is lost.
                string will = options.WillPayload == null ? null : Encoding.UTF8.GetString(options.WillPayload, 0, options.WillPayload.Length);
                MqttReasonCode code = _client.Connect(
                    options.ClientId,
                    options.Username,
                    options.Password,
                    true,
                    MqttQoSLevel.AtLeastOnce,
                    will != null,
                    options.WillTopic,
                    will,
                    options.CleanSession,
                    (ushort)options.KeepAliveSeconds);
                if (code != MqttReasonCode.Success)
                {
                    Drop();
                    return code == MqttReasonCode.ConnectionRefusedBadUserNameOrPassword || code == MqttReasonCode.ConnectionRefusedNotAuthorized
                        ? "refused: bad credentials"
                        : "refused: " + (int)code;
                }

                return null;
            }
            catch (Exception e)
            {
                Drop();
                return "error: " + e.Message;
            }
        }

        public bool Subscribe(string[] topics)
        {
            MqttQoSLevel[] levels = new MqttQoSLevel[topics.Length];
            for (int i = 0; i < levels.Length; i++)
            {
                levels[i] = MqttQoSLevel.AtLeastOnce;
            }

            return IsConnected && Await(_client.Subscribe(topics, levels));
        }

        public bool Publish(string topic, byte[] payload, bool retain)
        {
            if (!IsConnected)
            {
                return false;
            }

            try
            {
                return Await(_client.Publish(topic, payload, null, null, MqttQoSLevel.AtLeastOnce, retain));
            }
            catch (Exception)
            {
                return false;
            }
        }

        public void Disconnect()
        {
            _disconnecting = true;
            if (_client != null && _client.IsConnected)
            {
                _client.Disconnect();
            }

            Drop();
        }

        /// <summary>Waits for the ack of <paramref name="messageId"/>; it may arrive before the caller got the id back.</summary>
        private bool Await(ushort messageId)
        {
            long deadline = Environment.TickCount64 + _ackTimeoutMs;
            while (true)
            {
                lock (_sync)
                {
                    if (_ackedValid && _ackedId == messageId)
                    {
                        _ackedValid = false;
                        return _ackedOk;
                    }
                }

                long left = deadline - Environment.TickCount64;
                if (left <= 0 || !IsConnected)
                {
                    return false;
                }

                _acknowledged.WaitOne((int)left, false);
            }
        }

        private void Acknowledged(ushort messageId, bool ok)
        {
            lock (_sync)
            {
                _ackedId = messageId;
                _ackedOk = ok;
                _ackedValid = true;
            }

            _acknowledged.Set();
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            Acknowledged(e.MessageId, e.IsPublished);
        }

        private void OnSubscribed(object sender, MqttMsgSubscribedEventArgs e)
        {
            bool granted = true;
            for (int i = 0; i < e.GrantedQoSLevels.Length; i++)
            {
                granted &= e.GrantedQoSLevels[i] != MqttQoSLevel.GrantedFailure;
            }

            Acknowledged(e.MessageId, granted);
        }

        private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
        {
            MessageReceivedHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(e.Topic, e.Message);
            }
        }

        private void OnConnectionClosed(object sender, EventArgs e)
        {
            if (_disconnecting)
            {
                return;
            }

            ConnectionChangedHandler handler = ConnectionLost;
            if (handler != null)
            {
                handler(false);
            }
        }

        private void Drop()
        {
            if (_client == null)
            {
                return;
            }

            _client.MqttMsgPublishReceived -= OnPublishReceived;
            _client.MqttMsgPublished -= OnPublished;
            _client.MqttMsgSubscribed -= OnSubscribed;
            _client.ConnectionClosed -= OnConnectionClosed;
            _client.Dispose();
            _client = null;
        }
    }
}
