using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Device
{
    /// <summary>
    /// The gate every message from the cloud passes: right topic for this device, well-formed
    /// envelope addressed to this device, valid MAC with this device's key, a type that belongs on
    /// that topic, and for commands a fresh counter inside its validity window. The replay state is
    /// persisted before a command is handed on, so a power cut cannot make a command run twice.
    /// Anything refused is reported with a <see cref="ProtocolError"/> so the device can raise a
    /// forged/replayed-message alarm.
    /// </summary>
    public class CommandInbox
    {
        private const string GuardRecord = "cmdguard";

        private readonly DeviceIdentity _identity;
        private readonly IPersistentStore _store;
        private readonly IClock _clock;
        private readonly CommandReplayGuard _guard;

        public CommandInbox(DeviceIdentity identity, IPersistentStore store, IClock clock, long clockSkewMs)
        {
            _identity = identity;
            _store = store;
            _clock = clock;
            long highest = 0;
            long window = 0;
            LoadGuardState(ref highest, ref window);
            _guard = new CommandReplayGuard(highest, window, clockSkewMs);
        }

        /// <summary>
        /// Checks one incoming MQTT message. On success <paramref name="envelope"/> holds it and
        /// <paramref name="kind"/> says which topic it came on; otherwise the error says why.
        /// </summary>
        public ProtocolError Accept(string topic, byte[] payload, Envelope envelope, out TopicKind kind, out string detail)
        {
            detail = string.Empty;
            string deviceId;
            kind = DeviceTopics.Parse(topic, out deviceId);
            if (kind == TopicKind.Unknown || deviceId != _identity.DeviceId || !DeviceTopics.IsPublishedByCloud(kind))
            {
                detail = "not a topic this device listens to";
                return ProtocolError.EnvelopeWrongDevice;
            }

            if (payload == null)
            {
                detail = "empty payload";
                return ProtocolError.JsonMalformed;
            }

            ProtocolError error = EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out detail);
            if (error != ProtocolError.None)
            {
                return error;
            }

            if (envelope.DeviceId != _identity.DeviceId)
            {
                detail = "envelope addressed to another device";
                return ProtocolError.EnvelopeWrongDevice;
            }

            if (!EnvelopeCodec.VerifyMac(envelope, _identity.Key))
            {
                detail = "MAC does not verify with this device's key";
                return ProtocolError.EnvelopeMacMismatch;
            }

            error = MessageTypes.CheckArrival(envelope.Type, kind);
            if (error != ProtocolError.None)
            {
                detail = "type " + envelope.Type + " does not belong on this topic";
                return error;
            }

            if (kind != TopicKind.Commands)
            {
                // Desired state carries its own version (applied only forward); acks are idempotent.
                return ProtocolError.None;
            }

            error = _guard.Check(envelope, _clock.UtcNowMs);
            if (error != ProtocolError.None)
            {
                detail = "command " + envelope.Id + " refused";
                return error;
            }

            _guard.Commit(envelope.Seq);
            _store.Write(GuardRecord, System.Text.Encoding.UTF8.GetBytes(_guard.Highest.ToString() + ":" + _guard.WindowBits.ToString()));
            return ProtocolError.None;
        }

        private void LoadGuardState(ref long highest, ref long window)
        {
            byte[] data = _store.Read(GuardRecord);
            if (data == null)
            {
                return;
            }

            string text = System.Text.Encoding.UTF8.GetString(data, 0, data.Length);
            int colon = text.IndexOf(':');
            if (colon <= 0)
            {
                return;
            }

            long h;
            long w;
            if (long.TryParse(text.Substring(0, colon), out h) && long.TryParse(text.Substring(colon + 1), out w))
            {
                highest = h;
                window = w;
            }
        }
    }
}
