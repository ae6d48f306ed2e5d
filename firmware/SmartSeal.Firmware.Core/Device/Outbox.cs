using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Storage;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Firmware.Device
{
    /// <summary>
    /// Sends the device's events and telemetry: signs each with the next seq, stores it in the
    /// <see cref="OfflineQueue"/> first, then publishes it if the link is up. Whatever is not yet
    /// acknowledged is replayed in seq order by <see cref="Flush"/> (after every reconnect).
    /// </summary>
    public class Outbox
    {
        private readonly DeviceIdentity _identity;
        private readonly OfflineQueue _queue;
        private readonly ICloudLink _link;
        private readonly IClock _clock;
        private readonly JsonWriter _writer = new JsonWriter(512, EnvelopeCodec.MaxEnvelopeBytes);
        private readonly Envelope _envelope = new Envelope();
        private readonly object _sync = new object();
        private long _lastProgressMs;

        public Outbox(DeviceIdentity identity, OfflineQueue queue, ICloudLink link, IClock clock)
        {
            _identity = identity;
            _queue = queue;
            _link = link;
            _clock = clock;
        }

        /// <summary>Pending messages are published again after this long without an acknowledgement while connected.</summary>
        public const long ResendAfterMs = 30000;

        public int Pending
        {
            get { return _queue.Count; }
        }

        /// <summary>True when a critical event can be recorded now; controllers ask before they act.</summary>
        public bool CanRecordCritical
        {
            get { return _queue.HasRoomForCritical; }
        }

        /// <summary>
        /// Signs, persists and (if connected) publishes one message. Returns the seq it got, or -1
        /// when it could not be stored (queue full or flash failure): then nothing was sent.
        /// </summary>
        public long Send(string type, byte[] body, bool critical)
        {
            lock (_sync)
            {
                TopicKind kind = SmartSeal.Protocol.Messages.MessageTypes.TopicOf(type);
                long seq = _queue.NextSeq;
                _envelope.DeviceId = _identity.DeviceId;
                _envelope.Seq = seq;
                _envelope.Time = _clock.UtcNowMs;
                _envelope.Expires = 0;
                _envelope.Type = type;
                _envelope.Id = string.Empty;
                _envelope.SetBody(body);
                EnvelopeCodec.Encode(_envelope, _identity.Key, _writer);
                byte[] payload = _writer.ToArray();

                EnqueueResult result = _queue.Enqueue(seq, critical, (int)kind, payload);
                if (result == EnqueueResult.Full || result == EnqueueResult.StorageFailed)
                {
                    return -1;
                }

                if (_link.IsConnected)
                {
                    _link.Publish(DeviceTopics.For(_identity.DeviceId, kind), payload, false);
                }

                return seq;
            }
        }

        /// <summary>
        /// Call from the controller's tick: when messages wait while connected and nothing was
        /// acknowledged for <see cref="ResendAfterMs"/>, publishes them again. Covers a cloud that was
        /// not listening when they went out (it restarted, or resubscribed after the device reconnected).
        /// </summary>
        public void Tick()
        {
            lock (_sync)
            {
                long now = _clock.UptimeMs;
                if (_queue.Count == 0 || !_link.IsConnected)
                {
                    _lastProgressMs = now;
                    return;
                }

                if (now - _lastProgressMs >= ResendAfterMs)
                {
                    Flush();
                }
            }
        }

        /// <summary>Publishes everything still pending, oldest first; stops at the first failure.</summary>
        public int Flush()
        {
            lock (_sync)
            {
                _lastProgressMs = _clock.UptimeMs;
                int sent = 0;
                for (int i = 0; i < _queue.Count; i++)
                {
                    if (!_link.IsConnected)
                    {
                        break;
                    }

                    QueuedMessage message = _queue.Get(i);
                    if (message == null)
                    {
                        continue;
                    }

                    if (!_link.Publish(DeviceTopics.For(_identity.DeviceId, (TopicKind)message.TopicKind), message.Envelope, false))
                    {
                        break;
                    }

                    sent++;
                }

                return sent;
            }
        }

        /// <summary>The cloud persisted these seqs: drop them from flash.</summary>
        public void Acknowledge(long[] seqs)
        {
            lock (_sync)
            {
                _lastProgressMs = _clock.UptimeMs;
                for (int i = 0; i < seqs.Length; i++)
                {
                    _queue.Acknowledge(seqs[i]);
                }
            }
        }
    }
}
