using SmartSeal.Firmware.Hardware;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Firmware.Device
{
    /// <summary>
    /// What every controller tells the cloud, in one place: events through the outbox, command
    /// results, alarms for messages the inbox refused, and photos as a signed manifest plus chunks.
    /// </summary>
    public class DeviceReporter
    {
        /// <summary>Chunk size for photos: fits the modem's publish limit and an envelope with room to spare.</summary>
        public const int PhotoChunkBytes = 4096;

        /// <summary>At most one alarm per kind of refused message in this window; the rest are counted.</summary>
        public const long RejectedAlarmIntervalMs = 60000;

        private readonly DeviceIdentity _identity;
        private readonly Outbox _outbox;
        private readonly IClock _clock;
        private long _lastForgedAlarmMs = -RejectedAlarmIntervalMs;
        private long _lastReplayAlarmMs = -RejectedAlarmIntervalMs;
        private int _suppressedForged;
        private int _suppressedReplay;
        private readonly JsonWriter _bodyWriter = new JsonWriter(256, EnvelopeCodec.MaxBodyBytes);
        private int _photoCounter;

        public DeviceReporter(DeviceIdentity identity, Outbox outbox, IClock clock)
        {
            _identity = identity;
            _outbox = outbox;
            _clock = clock;
        }

        /// <summary>Refused messages not yet reported because of the alarm rate limit.</summary>
        public int SuppressedRejections
        {
            get { return _suppressedForged + _suppressedReplay; }
        }

        /// <summary>Signs, stores and (if online) publishes one message; the seq, or -1 when flash had no room.</summary>
        public long Send(MessageBody body, bool critical)
        {
            MessageCodec.EncodeBody(body, _bodyWriter);
            return _outbox.Send(body.Type, _bodyWriter.ToArray(), critical);
        }

        /// <summary>Answers a command by id; commands without an id (retained desired state) get no answer.</summary>
        public void Result(string commandId, bool ok, RefusalReason reason, string detail)
        {
            if (commandId == null || commandId.Length == 0)
            {
                return;
            }

            CommandResultBody result = new CommandResultBody();
            result.CommandId = commandId;
            result.Ok = ok;
            result.Reason = ok ? RefusalReason.Unknown : reason;
            result.Detail = detail;
            Send(result, true);
        }

        /// <summary>
        /// A message that failed the inbox raises a forged- or replayed-message alarm. Rate-limited
        /// per kind, with the count of the ones in between, so a flood of garbage cannot fill the
        /// flash queue and crowd out stamp events.
        /// </summary>
        public void RejectedMessage(ProtocolError error, string detail)
        {
            bool replay = error == ProtocolError.CommandReplayed;
            long now = _clock.UptimeMs;
            long last = replay ? _lastReplayAlarmMs : _lastForgedAlarmMs;
            if (now - last < RejectedAlarmIntervalMs)
            {
                if (replay)
                {
                    _suppressedReplay++;
                }
                else
                {
                    _suppressedForged++;
                }

                return;
            }

            int suppressed = replay ? _suppressedReplay : _suppressedForged;
            AlarmBody alarm = new AlarmBody();
            alarm.Alarm = replay ? AlarmType.ReplayedMessage : AlarmType.ForgedMessage;
            alarm.Active = true;
            alarm.Detail = error.ToString() + ": " + detail + (suppressed > 0 ? " (+" + suppressed.ToString() + " more since the last alarm)" : string.Empty);
            if (replay)
            {
                _lastReplayAlarmMs = now;
                _suppressedReplay = 0;
            }
            else
            {
                _lastForgedAlarmMs = now;
                _suppressedForged = 0;
            }

            Send(alarm, true);
        }

        public void Alarm(AlarmType type, bool active, int compartment, string detail)
        {
            AlarmBody alarm = new AlarmBody();
            alarm.Alarm = type;
            alarm.Active = active;
            alarm.Compartment = compartment;
            alarm.Detail = detail;
            Send(alarm, true);
        }

        /// <summary>
        /// Sends a JPEG as a manifest (with its HMAC) and chunks, all critical so a power cut or an
        /// offline stretch loses none of it. Returns the photo id, or null when the photo is empty or too large.
        /// </summary>
        public string SendPhoto(byte[] jpeg, PhotoPurpose purpose, string attemptId)
        {
            if (jpeg == null || jpeg.Length == 0 || jpeg.Length > PhotoChunker.MaxPhotoBytes)
            {
                return null;
            }

            _photoCounter++;
            string photoId = "ph-" + attemptId + "-" + _photoCounter.ToString();
            SendMedia(jpeg, photoId, purpose, attemptId, MediaKind.Jpeg);
            return photoId;
        }

        /// <summary>
        /// Sends a video clip the same way as a photo (manifest with "media": "mp4" and the HMAC, then
        /// chunks, all critical). False when the clip is empty or larger than a photo may be.
        /// </summary>
        public bool SendClip(byte[] mp4, string clipId, PhotoPurpose purpose, string attemptId)
        {
            if (mp4 == null || mp4.Length == 0 || mp4.Length > PhotoChunker.MaxPhotoBytes)
            {
                return false;
            }

            SendMedia(mp4, clipId, purpose, attemptId, MediaKind.Mp4);
            return true;
        }

        private void SendMedia(byte[] bytes, string id, PhotoPurpose purpose, string attemptId, MediaKind media)
        {
            PhotoChunker chunker = new PhotoChunker(bytes, PhotoChunkBytes, id);
            Send(chunker.Manifest(purpose, attemptId, _identity.Key, media), true);
            for (int i = 0; i < chunker.ChunkCount; i++)
            {
                Send(chunker.Chunk(i), true);
            }
        }
    }
}
