using System.Collections;
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
    /// acknowledged is replayed in seq order by <see cref="Flush"/> (after every reconnect), after
    /// <see cref="ResendAfterMs"/> without any acknowledgement, and — when the cloud acknowledges a later
    /// message while older ones still wait — after <see cref="GapResendAfterMs"/>.
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
        private long _highestAcknowledged;

        // seq (long) -> uptime of its last publish, for the pending messages only.
        private readonly Hashtable _publishedMs = new Hashtable();

        public Outbox(DeviceIdentity identity, OfflineQueue queue, ICloudLink link, IClock clock)
        {
            _identity = identity;
            _queue = queue;
            _link = link;
            _clock = clock;
        }

        /// <summary>Pending messages are published again after this long without an acknowledgement while connected.</summary>
        public const long ResendAfterMs = 30000;

        /// <summary>
        /// A pending message older than one the cloud just acknowledged, and published at least this
        /// long ago, is published again at once. It went out while nobody listened (the broker came
        /// back before the cloud had subscribed again); waiting for <see cref="ResendAfterMs"/> of
        /// silence would wait forever while newer messages keep being acknowledged. The delay leaves
        /// room for acknowledgements that merely arrive out of order (several cloud instances).
        /// </summary>
        public const long GapResendAfterMs = 2000;

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

                if (result == EnqueueResult.StoredDroppedTelemetry)
                {
                    ForgetDropped();
                }

                if (_link.IsConnected && _link.Publish(DeviceTopics.For(_identity.DeviceId, kind), payload, false))
                {
                    _publishedMs[seq] = _clock.UptimeMs;
                }

                return seq;
            }
        }

        /// <summary>
        /// Call from the controller's tick: when messages wait while connected and nothing was
        /// acknowledged for <see cref="ResendAfterMs"/>, publishes them again. Covers a cloud that was
        /// not listening when they went out (it restarted, or resubscribed after the device reconnected).
        /// Messages older than an acknowledged one go again <see cref="GapResendAfterMs"/> after they
        /// were last published, also when the acknowledgement came sooner than that.
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
                else if (_queue.SeqAt(0) < _highestAcknowledged)
                {
                    Republish(_highestAcknowledged, GapResendAfterMs);
                }
            }
        }

        /// <summary>Publishes everything still pending, oldest first; stops at the first failure.</summary>
        public int Flush()
        {
            lock (_sync)
            {
                _lastProgressMs = _clock.UptimeMs;
                return Republish(long.MaxValue, 0);
            }
        }

        /// <summary>
        /// The cloud persisted these seqs: drop them from flash. Older messages still waiting that
        /// were published <see cref="GapResendAfterMs"/> ago or earlier are published again.
        /// </summary>
        public void Acknowledge(long[] seqs)
        {
            lock (_sync)
            {
                _lastProgressMs = _clock.UptimeMs;
                long highest = 0;
                for (int i = 0; i < seqs.Length; i++)
                {
                    if (_queue.Acknowledge(seqs[i]) && seqs[i] > highest)
                    {
                        highest = seqs[i];
                    }

                    _publishedMs.Remove(seqs[i]);
                }

                if (highest > _highestAcknowledged)
                {
                    _highestAcknowledged = highest;
                }

                if (_queue.Count > 0 && _queue.SeqAt(0) < _highestAcknowledged)
                {
                    Republish(_highestAcknowledged, GapResendAfterMs);
                }
            }
        }

        /// <summary>The queue dropped old telemetry to make room: forget when those were published.</summary>
        private void ForgetDropped()
        {
            Hashtable pending = new Hashtable();
            for (int i = 0; i < _queue.Count; i++)
            {
                long seq = _queue.SeqAt(i);
                object published = _publishedMs[seq];
                if (published != null)
                {
                    pending[seq] = published;
                }
            }

            _publishedMs.Clear();
            foreach (DictionaryEntry entry in pending)
            {
                _publishedMs[entry.Key] = entry.Value;
            }
        }

        /// <summary>
        /// Publishes the pending messages below <paramref name="belowSeq"/>, oldest first, that were
        /// last published at least <paramref name="olderThanMs"/> ago (or never); stops at the first failure.
        /// </summary>
        private int Republish(long belowSeq, long olderThanMs)
        {
            long now = _clock.UptimeMs;
            int sent = 0;
            for (int i = 0; i < _queue.Count; i++)
            {
                if (!_link.IsConnected)
                {
                    break;
                }

                long seq = _queue.SeqAt(i);
                if (seq >= belowSeq)
                {
                    break; // the queue is in seq order
                }

                object published = _publishedMs[seq];
                if (published != null && now - (long)published < olderThanMs)
                {
                    continue;
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

                _publishedMs[message.Seq] = now;
                sent++;
            }

            return sent;
        }
    }
}
