using System;
using System.Text;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Link;

namespace SmartSeal.Lock.Esp32
{
    /// <summary>
    /// <see cref="IMqttTransport"/> over the SIM7080G's built-in MQTT client (AT+SM* commands), so
    /// TLS and the MQTT session run in the modem and the ESP32 only exchanges AT lines:
    /// AT+SMCONF for URL/CLIENTID/USERNAME/PASSWORD/KEEPTIME/CLEANSS/QOS and the will
    /// (TOPIC/MESSAGE/RETAIN), AT+SMCONN, AT+SMSUB, AT+SMPUB with a length and then the payload,
    /// AT+SMDISC. Unsolicited <c>+SMSUB: "topic","message"</c> lines become
    /// <see cref="MessageReceived"/>, <c>+SMSTATE: 0</c> becomes <see cref="ConnectionLost"/>.
    /// Assumptions (see the project README): payloads are single-line UTF-8 (our envelopes are
    /// JSON), and the modem accepts a double quote inside a quoted parameter written as \22.
    /// </summary>
    public class Sim7080MqttTransport : IMqttTransport
    {
        private const int ConfigTimeoutMs = 2000;
        private const int NetworkTimeoutMs = 30000;
        private const int ConnectTimeoutMs = 60000;
        private const int PublishTimeoutMs = 15000;

        private readonly AtChannel _at;
        private readonly string _host;
        private readonly int _port;
        private readonly bool _tls;
        private readonly string _apn;
        private bool _connected;
        private bool _disconnecting;

        /// <param name="tls">Use TLS with the CA file "ca.crt" that provisioning stored in the modem's file system.</param>
        public Sim7080MqttTransport(AtChannel at, string host, int port, bool tls, string apn)
        {
            _at = at;
            _host = host;
            _port = port;
            _tls = tls;
            _apn = apn;
            _at.AddUnsolicitedPrefix("+SMSUB:");
            _at.AddUnsolicitedPrefix("+SMSTATE:");
            _at.Unsolicited += OnUnsolicited;
        }

        public event MessageReceivedHandler MessageReceived;

        public event ConnectionChangedHandler ConnectionLost;

        public bool IsConnected
        {
            get { return _connected; }
        }

        public string Connect(MqttConnectOptions options)
        {
            _connected = false;
            if (!EnsureNetwork())
            {
                return "no cellular data connection";
            }

            _at.Send("AT+SMDISC", ConfigTimeoutMs); // a stale session would make SMCONN fail
            bool configured =
                Config("URL", Quote(_host) + "," + _port)
                && Config("CLIENTID", Quote(options.ClientId))
                && Config("USERNAME", Quote(options.Username))
                && Config("PASSWORD", Quote(options.Password))
                && Config("KEEPTIME", options.KeepAliveSeconds.ToString())
                && Config("CLEANSS", options.CleanSession ? "1" : "0")
                && Config("QOS", "1");
            if (configured && options.WillTopic != null && options.WillPayload != null)
            {
                string will = Encoding.UTF8.GetString(options.WillPayload, 0, options.WillPayload.Length);
                configured = Config("TOPIC", Quote(options.WillTopic)) && Config("MESSAGE", Quote(will)) && Config("RETAIN", "1");
            }

            if (configured && _tls)
            {
                configured = _at.Send("AT+SMSSL=1,\"ca.crt\",\"\"", ConfigTimeoutMs) != null;
            }

            if (!configured)
            {
                return "modem refused the MQTT configuration";
            }

            _disconnecting = false;
            if (_at.Send("AT+SMCONN", ConnectTimeoutMs) == null)
            {
                return "refused or timeout (AT+SMCONN)";
            }

            _connected = true;
            return null;
        }

        public bool Subscribe(string[] topics)
        {
            for (int i = 0; i < topics.Length; i++)
            {
                if (!_connected || _at.Send("AT+SMSUB=" + Quote(topics[i]) + ",1", PublishTimeoutMs) == null)
                {
                    return false;
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

            string command = "AT+SMPUB=" + Quote(topic) + "," + payload.Length + ",1," + (retain ? "1" : "0");
            return _at.SendWithData(command, payload, ConfigTimeoutMs, PublishTimeoutMs) != null;
        }

        public void Disconnect()
        {
            _disconnecting = true;
            _connected = false;
            _at.Send("AT+SMDISC", ConfigTimeoutMs);
        }

        private bool EnsureNetwork()
        {
            string[] state = _at.Send("AT+CNACT?", ConfigTimeoutMs);
            if (state != null)
            {
                for (int i = 0; i < state.Length; i++)
                {
                    if (state[i].StartsWith("+CNACT: 0,1"))
                    {
                        return true;
                    }
                }
            }

            return _at.Send("AT+CNCFG=0,1," + Quote(_apn), ConfigTimeoutMs) != null
                && _at.Send("AT+CNACT=0,1", NetworkTimeoutMs) != null;
        }

        private bool Config(string name, string value)
        {
            return _at.Send("AT+SMCONF=\"" + name + "\"," + value, ConfigTimeoutMs) != null;
        }

        private void OnUnsolicited(string line)
        {
            if (line.StartsWith("+SMSTATE:"))
            {
                if (line.IndexOf('0', 9) >= 0 && _connected && !_disconnecting)
                {
                    _connected = false;
                    ConnectionChangedHandler lost = ConnectionLost;
                    if (lost != null)
                    {
                        lost(false);
                    }
                }

                return;
            }

            // +SMSUB: "topic","message" — topics never contain a quote; the message runs to the last quote.
            int topicStart = line.IndexOf('"');
            int topicEnd = topicStart < 0 ? -1 : line.IndexOf('"', topicStart + 1);
            int messageStart = topicEnd < 0 ? -1 : line.IndexOf('"', topicEnd + 1);
            int messageEnd = line.Length - 1;
            if (messageStart < 0 || messageEnd <= messageStart || line[messageEnd] != '"')
            {
                return;
            }

            string topic = line.Substring(topicStart + 1, topicEnd - topicStart - 1);
            byte[] payload = Encoding.UTF8.GetBytes(line.Substring(messageStart + 1, messageEnd - messageStart - 1));
            MessageReceivedHandler handler = MessageReceived;
            if (handler != null)
            {
                handler(topic, payload);
            }
        }

        /// <summary>A quoted AT string parameter; a double quote inside is written \22 (SIMCom's escape).</summary>
        private static string Quote(string text)
        {
            if (text == null)
            {
                return "\"\"";
            }

            StringBuilder quoted = new StringBuilder(text.Length + 8);
            quoted.Append('"');
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '"')
                {
                    quoted.Append("\\22");
                }
                else
                {
                    quoted.Append(text[i]);
                }
            }

            quoted.Append('"');
            return quoted.ToString();
        }
    }
}
