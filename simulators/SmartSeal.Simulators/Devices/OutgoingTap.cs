using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Simulators.Devices;

/// <summary>
/// Sits between the firmware and its cloud link and remembers, for the terminal view, the last
/// events the device published, its refusals and its alarms. Fleets leave it off (it decodes
/// every message).
/// </summary>
public sealed class OutgoingTap : ICloudLink
{
    private const int Keep = 8;
    private readonly ICloudLink _inner;
    private readonly LinkedList<string> _events = new();
    private readonly LinkedList<string> _refusals = new();
    private readonly Dictionary<string, string> _alarms = new();
    private readonly object _sync = new();

    public OutgoingTap(ICloudLink inner)
    {
        _inner = inner;
        _inner.MessageReceived += (topic, payload) => MessageReceived?.Invoke(topic, payload);
        _inner.ConnectionChanged += connected => ConnectionChanged?.Invoke(connected);
    }

    public event MessageReceivedHandler? MessageReceived;

    public event ConnectionChangedHandler? ConnectionChanged;

    public bool IsConnected => _inner.IsConnected;

    public bool Publish(string topic, byte[] payload, bool retain)
    {
        bool sent = _inner.Publish(topic, payload, retain);
        if (sent)
        {
            Remember(payload);
        }

        return sent;
    }

    public (string[] Events, string[] Refusals, string[] Alarms) Read()
    {
        lock (_sync)
        {
            return (_events.ToArray(), _refusals.ToArray(), _alarms.Values.ToArray());
        }
    }

    private void Remember(byte[] payload)
    {
        var envelope = new Envelope();
        if (EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out _) != ProtocolError.None || envelope.Type == MessageTypes.PhotoChunk)
        {
            return;
        }

        MessageBody? body = MessageCodec.Create(envelope.Type);
        string text = envelope.Type + " #" + envelope.Seq;
        lock (_sync)
        {
            if (body != null && MessageCodec.DecodeBody(envelope, body, out _) == ProtocolError.None)
            {
                switch (body)
                {
                    case RefusedBody refused:
                        Push(_refusals, WireNames.RefusalReasons[(int)refused.Reason] + (refused.Detail == null ? string.Empty : " (" + refused.Detail + ")"));
                        break;
                    case AlarmBody alarm:
                        string key = WireNames.AlarmTypes[(int)alarm.Alarm] + (alarm.Compartment > 0 ? "@" + alarm.Compartment : string.Empty);
                        if (alarm.Active)
                        {
                            _alarms[key] = key;
                        }
                        else
                        {
                            _alarms.Remove(key);
                        }

                        break;
                }
            }

            Push(_events, text);
        }
    }

    private static void Push(LinkedList<string> list, string item)
    {
        list.AddFirst(item);
        if (list.Count > Keep)
        {
            list.RemoveLast();
        }
    }
}
