using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Turns bodies into envelope body bytes and back, and makes the right body for a type.</summary>
    public static class MessageCodec
    {
        public static byte[] EncodeBody(MessageBody body)
        {
            JsonWriter writer = new JsonWriter(128, EnvelopeCodec.MaxBodyBytes);
            body.Write(writer);
            return writer.ToArray();
        }

        /// <summary>Writes the body into a reused writer (reset first); its bytes are writer.Buffer[0..Length).</summary>
        public static void EncodeBody(MessageBody body, JsonWriter writer)
        {
            writer.Reset();
            body.Write(writer);
        }

        /// <summary>Creates an envelope for <paramref name="body"/> with its type and encoded bytes (the caller sets the header fields and signs).</summary>
        public static Envelope Wrap(MessageBody body, string deviceId, long seq, long timeMs)
        {
            Envelope envelope = new Envelope();
            envelope.DeviceId = deviceId;
            envelope.Seq = seq;
            envelope.Time = timeMs;
            envelope.Type = body.Type;
            envelope.SetBody(EncodeBody(body));
            return envelope;
        }

        /// <summary>
        /// Reads the envelope's body into <paramref name="target"/>, which must be the body class of
        /// the envelope's type. Never throws on bad input: returns the error and a detail.
        /// </summary>
        public static ProtocolError DecodeBody(Envelope envelope, MessageBody target, out string detail)
        {
            detail = string.Empty;
            if (envelope.Type != target.Type)
            {
                detail = "body of " + target.Type + " cannot hold " + envelope.Type;
                return ProtocolError.EnvelopeUnknownType;
            }

            return DecodeBody(envelope.BodyBuffer, envelope.BodyOffset, envelope.BodyCount, target, out detail);
        }

        public static ProtocolError DecodeBody(byte[] buffer, int offset, int count, MessageBody target, out string detail)
        {
            detail = string.Empty;
            try
            {
                JsonReader reader = new JsonReader(buffer, offset, count);
                target.Read(reader);
                reader.ReadEndOfDocument();
                return ProtocolError.None;
            }
            catch (ProtocolException e)
            {
                detail = e.Message;
                return e.Error;
            }
        }

        /// <summary>A new, empty body for <paramref name="type"/>, or null for an unknown type.</summary>
        public static MessageBody Create(string type)
        {
            switch (type)
            {
                case MessageTypes.Boot: return new BootBody();
                case MessageTypes.StateApplied: return new StateAppliedBody();
                case MessageTypes.Dispensed: return new DispensedBody();
                case MessageTypes.Returned: return new ReturnedBody();
                case MessageTypes.WrongSeal: return new WrongSealBody();
                case MessageTypes.SealRemoved: return new SealRemovedBody();
                case MessageTypes.Door: return new DoorBody();
                case MessageTypes.Tamper: return new TamperBody();
                case MessageTypes.Unlocked: return new UnlockedBody();
                case MessageTypes.Stamped: return new StampedBody();
                case MessageTypes.Relocked: return new RelockedBody();
                case MessageTypes.Refused: return new RefusedBody();
                case MessageTypes.TokenLoaded: return new TokenLoadedBody();
                case MessageTypes.Alarm: return new AlarmBody();
                case MessageTypes.FaceMatch: return new FaceMatchBody();
                case MessageTypes.Position: return new PositionBody();
                case MessageTypes.Battery: return new BatteryBody();
                case MessageTypes.Status: return new StatusBody();
                case MessageTypes.CommandResult: return new CommandResultBody();
                case MessageTypes.PhotoManifest: return new PhotoManifestBody();
                case MessageTypes.PhotoChunk: return new PhotoChunkBody();
                case MessageTypes.Dispense: return new DispenseBody();
                case MessageTypes.AcceptReturn: return new AcceptReturnBody();
                case MessageTypes.LoadToken: return new LoadTokenBody();
                case MessageTypes.RevokeToken: return new RevokeTokenBody();
                case MessageTypes.ReportTags: return new ReportTagsBody();
                case MessageTypes.TagReport: return new TagReportBody();
                case MessageTypes.SetState: return new SetStateBody();
                case MessageTypes.DocumentVerdict: return new DocumentVerdictBody();
                case MessageTypes.LocateNow: return new LocateBody();
                case MessageTypes.SetConfig: return new SetConfigBody();
                case MessageTypes.DesiredState: return new DesiredStateBody();
                case MessageTypes.Ack: return new AckBody();
                default: return null;
            }
        }
    }
}
