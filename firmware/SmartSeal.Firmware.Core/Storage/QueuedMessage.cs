namespace SmartSeal.Firmware.Storage
{
    /// <summary>One signed envelope waiting on flash for the cloud's acknowledgement.</summary>
    public class QueuedMessage
    {
        public QueuedMessage(long seq, bool critical, int topicKind, byte[] envelope)
        {
            Seq = seq;
            Critical = critical;
            TopicKind = topicKind;
            Envelope = envelope;
        }

        public long Seq { get; private set; }

        /// <summary>Stamp, alarm and other events that must never be dropped (telemetry is not critical).</summary>
        public bool Critical { get; private set; }

        /// <summary>The <see cref="SmartSeal.Protocol.Topics.TopicKind"/> to publish on, as an int.</summary>
        public int TopicKind { get; private set; }

        public byte[] Envelope { get; private set; }
    }
}
