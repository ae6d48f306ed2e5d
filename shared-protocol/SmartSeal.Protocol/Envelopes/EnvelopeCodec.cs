using System;
using System.Text;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.Envelopes
{
    /// <summary>
    /// Encodes, decodes, signs and verifies envelopes. Decoding checks structure only; callers
    /// then check the MAC with the key of <see cref="Envelope.DeviceId"/> (which they look up or,
    /// on a device, already hold) before they trust anything in it.
    /// </summary>
    public static class EnvelopeCodec
    {
        /// <summary>Largest envelope accepted or produced (a photo chunk of 8 KiB, base64url-encoded, fits).</summary>
        public const int MaxEnvelopeBytes = 16 * 1024;

        /// <summary>Largest body inside an envelope.</summary>
        public const int MaxBodyBytes = 14 * 1024;

        public const int MaxTypeLength = 32;

        /// <summary>Domain separation label: the first line of every canonical MAC input.</summary>
        public const string CanonicalLabel = "SMARTSEAL-ENVELOPE-V1";

        private const int FieldVersion = 1;
        private const int FieldDevice = 2;
        private const int FieldSeq = 4;
        private const int FieldTime = 8;
        private const int FieldExpires = 16;
        private const int FieldType = 32;
        private const int FieldId = 64;
        private const int FieldBody = 128;
        private const int FieldMac = 256;
        private const int Required = FieldVersion | FieldDevice | FieldSeq | FieldTime | FieldType | FieldBody | FieldMac;

        /// <summary>
        /// Signs <paramref name="envelope"/> with <paramref name="key"/> (setting its MAC) and writes
        /// its wire form into <paramref name="output"/> (which is reset first).
        /// </summary>
        public static void Encode(Envelope envelope, byte[] key, JsonWriter output)
        {
            ProtocolError error = CheckHeader(envelope);
            if (error != ProtocolError.None)
            {
                throw new ProtocolException(error, "envelope header is not valid");
            }

            if (envelope.BodyCount > MaxBodyBytes)
            {
                throw new ProtocolException(ProtocolError.EnvelopeBodyTooLarge, "body too large");
            }

            envelope.Mac = Mac.Compute(key, CanonicalBytes(envelope));

            output.Reset();
            output.BeginObject();
            output.Property("v", envelope.Version);
            output.Property("dev", envelope.DeviceId);
            output.Property("seq", envelope.Seq);
            output.Property("ts", envelope.Time);
            if (envelope.Expires != 0)
            {
                output.Property("exp", envelope.Expires);
            }

            output.Property("type", envelope.Type);
            if (envelope.Id.Length > 0)
            {
                output.Property("id", envelope.Id);
            }

            output.Name("body");
            output.RawValue(envelope.BodyBuffer, envelope.BodyOffset, envelope.BodyCount);
            output.Name("mac");
            output.Base64Url(envelope.Mac, 0, envelope.Mac.Length);
            output.EndObject();
        }

        public static byte[] Encode(Envelope envelope, byte[] key)
        {
            // Capped, so an oversized body reaches the body-size check (a ProtocolException) instead of
            // failing in the writer's constructor.
            int capacity = 256 + envelope.BodyCount;
            JsonWriter writer = new JsonWriter(capacity > MaxEnvelopeBytes ? MaxEnvelopeBytes : capacity, MaxEnvelopeBytes);
            Encode(envelope, key, writer);
            return writer.ToArray();
        }

        /// <summary>
        /// Parses the wire form into <paramref name="envelope"/>. The body stays a slice of
        /// <paramref name="buffer"/>. Returns <see cref="ProtocolError.None"/> or why it was refused;
        /// <paramref name="detail"/> says where. Does not check the MAC.
        /// </summary>
        public static ProtocolError Decode(byte[] buffer, int offset, int count, Envelope envelope, out string detail)
        {
            detail = string.Empty;
            if (buffer == null || count > MaxEnvelopeBytes)
            {
                detail = "envelope larger than " + MaxEnvelopeBytes.ToString() + " bytes";
                return ProtocolError.JsonTooLarge;
            }

            try
            {
                return DecodeFields(buffer, offset, count, envelope, out detail);
            }
            catch (ProtocolException e)
            {
                detail = e.Message;
                return e.Error;
            }
        }

        /// <summary>Checks the MAC of a decoded envelope in constant time.</summary>
        public static bool VerifyMac(Envelope envelope, byte[] key)
        {
            if (envelope.Mac == null || envelope.Mac.Length != Mac.Length || key == null)
            {
                return false;
            }

            return Mac.FixedTimeEquals(Mac.Compute(key, CanonicalBytes(envelope)), envelope.Mac);
        }

        /// <summary>
        /// The bytes the MAC covers: the label and each header field as a line (decimal integers,
        /// UTF-8 strings; none may contain a new line), then the body bytes exactly as sent.
        /// </summary>
        public static byte[] CanonicalBytes(Envelope envelope)
        {
            string header = CanonicalLabel + "\n"
                + envelope.Version.ToString() + "\n"
                + envelope.DeviceId + "\n"
                + envelope.Seq.ToString() + "\n"
                + envelope.Time.ToString() + "\n"
                + envelope.Expires.ToString() + "\n"
                + envelope.Type + "\n"
                + envelope.Id + "\n";
            byte[] headerBytes = Encoding.UTF8.GetBytes(header);
            byte[] result = new byte[headerBytes.Length + envelope.BodyCount];
            Array.Copy(headerBytes, 0, result, 0, headerBytes.Length);
            Array.Copy(envelope.BodyBuffer, envelope.BodyOffset, result, headerBytes.Length, envelope.BodyCount);
            return result;
        }

        /// <summary>Validates header fields that end up in topics and canonical bytes.</summary>
        public static ProtocolError CheckHeader(Envelope envelope)
        {
            if (envelope.Version != Envelope.CurrentVersion)
            {
                return ProtocolError.EnvelopeBadVersion;
            }

            if (!DeviceId.IsValid(envelope.DeviceId))
            {
                return ProtocolError.EnvelopeBadDeviceId;
            }

            if (!IsValidType(envelope.Type))
            {
                return ProtocolError.EnvelopeBadType;
            }

            if (envelope.Id == null || (envelope.Id.Length > 0 && !DeviceId.IsValid(envelope.Id)))
            {
                return ProtocolError.EnvelopeBadId;
            }

            if (envelope.Seq < 0 || envelope.Time < 0 || envelope.Expires < 0)
            {
                return ProtocolError.EnvelopeBadSequence;
            }

            if (envelope.BodyBuffer == null || envelope.BodyCount < 2)
            {
                return ProtocolError.EnvelopeMissingField;
            }

            return ProtocolError.None;
        }

        /// <summary>Message types are 1..32 characters of [a-z0-9-].</summary>
        public static bool IsValidType(string type)
        {
            if (type == null || type.Length == 0 || type.Length > MaxTypeLength)
            {
                return false;
            }

            for (int i = 0; i < type.Length; i++)
            {
                char c = type[i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                {
                    return false;
                }
            }

            return true;
        }

        private static ProtocolError DecodeFields(byte[] buffer, int offset, int count, Envelope envelope, out string detail)
        {
            detail = string.Empty;
            JsonReader reader = new JsonReader(buffer, offset, count);
            reader.ReadExpected(JsonTokenType.StartObject);
            envelope.Expires = 0;
            envelope.Id = string.Empty;
            envelope.Mac = null;
            int seen = 0;
            while (reader.ReadPropertyOrEnd())
            {
                int field = FieldOf(reader);
                if (field != 0 && (seen & field) != 0)
                {
                    detail = "duplicate envelope field";
                    return ProtocolError.JsonDuplicateProperty;
                }

                seen |= field;
                switch (field)
                {
                    case FieldVersion:
                        envelope.Version = reader.ReadInt32();
                        break;
                    case FieldDevice:
                        envelope.DeviceId = reader.ReadString();
                        break;
                    case FieldSeq:
                        envelope.Seq = reader.ReadInt64();
                        break;
                    case FieldTime:
                        envelope.Time = reader.ReadInt64();
                        break;
                    case FieldExpires:
                        envelope.Expires = reader.ReadInt64();
                        break;
                    case FieldType:
                        envelope.Type = reader.ReadString();
                        break;
                    case FieldId:
                        envelope.Id = reader.ReadString();
                        break;
                    case FieldBody:
                        reader.ReadExpected(JsonTokenType.StartObject);
                        int start = reader.TokenStart;
                        reader.Skip();
                        envelope.BodyBuffer = buffer;
                        envelope.BodyOffset = start;
                        envelope.BodyCount = reader.TokenEnd - start;
                        break;
                    case FieldMac:
                        reader.ReadExpected(JsonTokenType.String);
                        envelope.Mac = reader.GetBase64Url();
                        if (envelope.Mac == null || envelope.Mac.Length != Mac.Length)
                        {
                            detail = "mac is not 32 bytes of base64url";
                            return ProtocolError.EnvelopeBadMac;
                        }

                        break;
                    default:
                        // Unknown fields are refused: the MAC does not cover them, so they must not exist.
                        detail = "unknown envelope field";
                        return ProtocolError.EnvelopeUnknownField;
                }
            }

            reader.ReadEndOfDocument();
            if ((seen & Required) != Required)
            {
                detail = "missing envelope field";
                return ProtocolError.EnvelopeMissingField;
            }

            if (envelope.BodyCount > MaxBodyBytes)
            {
                detail = "body larger than " + MaxBodyBytes.ToString() + " bytes";
                return ProtocolError.EnvelopeBodyTooLarge;
            }

            ProtocolError headerError = CheckHeader(envelope);
            if (headerError != ProtocolError.None)
            {
                detail = "invalid envelope header field";
            }

            return headerError;
        }

        private static int FieldOf(JsonReader reader)
        {
            if (reader.ValueEquals("v"))
            {
                return FieldVersion;
            }

            if (reader.ValueEquals("dev"))
            {
                return FieldDevice;
            }

            if (reader.ValueEquals("seq"))
            {
                return FieldSeq;
            }

            if (reader.ValueEquals("ts"))
            {
                return FieldTime;
            }

            if (reader.ValueEquals("exp"))
            {
                return FieldExpires;
            }

            if (reader.ValueEquals("type"))
            {
                return FieldType;
            }

            if (reader.ValueEquals("id"))
            {
                return FieldId;
            }

            if (reader.ValueEquals("body"))
            {
                return FieldBody;
            }

            if (reader.ValueEquals("mac"))
            {
                return FieldMac;
            }

            return 0;
        }
    }
}
