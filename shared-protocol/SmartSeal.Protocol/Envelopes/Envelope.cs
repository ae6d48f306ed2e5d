namespace SmartSeal.Protocol.Envelopes
{
    /// <summary>
    /// One signed protocol message, in either direction. The body is kept as the exact bytes it
    /// had on the wire (a JSON object), because the MAC covers those bytes verbatim; message
    /// classes decode it on demand. See shared-protocol/README.md ("Envelope") for the wire form.
    /// </summary>
    public class Envelope
    {
        public const int CurrentVersion = 1;

        /// <summary>Protocol version ("v").</summary>
        public int Version;

        /// <summary>The device the message is from (device to cloud) or for (cloud to device) ("dev").</summary>
        public string DeviceId;

        /// <summary>
        /// Per-device monotonic counter ("seq"): the device's event sequence number, or for cloud
        /// commands the device's command counter that makes replays detectable.
        /// </summary>
        public long Seq;

        /// <summary>Sender's clock in Unix milliseconds ("ts"): device time, or the command's issued-at.</summary>
        public long Time;

        /// <summary>Expiry in Unix milliseconds ("exp"); 0 when the message does not expire (events).</summary>
        public long Expires;

        /// <summary>Message type ("type"), one of <see cref="Messages.MessageTypes"/>.</summary>
        public string Type;

        /// <summary>Command or correlation id ("id"); empty when unused.</summary>
        public string Id;

        /// <summary>Buffer holding the body's JSON bytes.</summary>
        public byte[] BodyBuffer;

        public int BodyOffset;

        public int BodyCount;

        /// <summary>HMAC-SHA256 over the canonical bytes ("mac").</summary>
        public byte[] Mac;

        public Envelope()
        {
            Version = CurrentVersion;
            Id = string.Empty;
        }

        /// <summary>Copies the body into its own array (the buffer it was decoded from may be reused).</summary>
        public byte[] CopyBody()
        {
            byte[] body = new byte[BodyCount];
            System.Array.Copy(BodyBuffer, BodyOffset, body, 0, BodyCount);
            return body;
        }

        public void SetBody(byte[] body)
        {
            BodyBuffer = body;
            BodyOffset = 0;
            BodyCount = body.Length;
        }
    }
}
