using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Device
{
    /// <summary>
    /// The receive path every controller shares: the inbox judges the message (topic, MAC,
    /// direction, replay), the body is decoded, and whatever is refused is reported (alarm for a
    /// forged or replayed message, a failed command result for an undecodable body).
    /// </summary>
    public class MessageReceiver
    {
        private readonly CommandInbox _inbox;
        private readonly DeviceReporter _reporter;
        private readonly Envelope _envelope = new Envelope();

        public MessageReceiver(CommandInbox inbox, DeviceReporter reporter)
        {
            _inbox = inbox;
            _reporter = reporter;
        }

        /// <summary>The envelope of the last accepted message (type, command id).</summary>
        public Envelope Envelope
        {
            get { return _envelope; }
        }

        /// <summary>The decoded body, or null when the message was refused (already reported).</summary>
        public MessageBody Receive(string topic, byte[] payload)
        {
            TopicKind kind;
            string detail;
            ProtocolError error = _inbox.Accept(topic, payload, _envelope, out kind, out detail);
            if (error != ProtocolError.None)
            {
                _reporter.RejectedMessage(error, detail);
                return null;
            }

            MessageBody body = MessageCodec.Create(_envelope.Type);
            error = MessageCodec.DecodeBody(_envelope, body, out detail);
            if (error != ProtocolError.None)
            {
                _reporter.Result(_envelope.Id, false, RefusalReason.BadCommand, detail);
                return null;
            }

            return body;
        }
    }
}
