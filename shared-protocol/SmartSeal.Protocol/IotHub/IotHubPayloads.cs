using System.Text;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.IotHub
{
    /// <summary>
    /// Where IoT Hub insists on JSON (twin properties, direct-method payloads and responses) a
    /// SmartSeal envelope travels as one JSON <em>string</em>: the hub may re-serialise JSON it
    /// stores or forwards, but a string keeps its exact characters, so the envelope's MAC still
    /// verifies at the other end. These helpers wrap and unwrap that string and read the desired
    /// property out of a twin document or a desired-properties patch.
    /// </summary>
    public static class IotHubPayloads
    {
        /// <summary>The envelope bytes as a JSON string literal.</summary>
        public static byte[] WrapEnvelope(byte[] envelope)
        {
            JsonWriter writer = new JsonWriter(envelope.Length + 64, (EnvelopeCodec.MaxEnvelopeBytes * 2) + 2);
            writer.String(Encoding.UTF8.GetString(envelope, 0, envelope.Length));
            return writer.ToArray();
        }

        /// <summary>The envelope bytes inside a JSON string literal; null when the payload is not exactly one string.</summary>
        public static byte[] UnwrapEnvelope(byte[] payload)
        {
            if (payload == null || payload.Length == 0)
            {
                return null;
            }

            try
            {
                JsonReader reader = NewReader(payload);
                reader.ReadExpected(JsonTokenType.String);
                string text = reader.GetString();
                reader.ReadEndOfDocument();
                return Encoding.UTF8.GetBytes(text);
            }
            catch (ProtocolException)
            {
                return null;
            }
        }

        /// <summary>
        /// Reads <paramref name="name"/> from the <c>desired</c> section of a full twin document
        /// (the answer to a twin GET: <c>{"desired":{...,"$version":n},"reported":{...}}</c>).
        /// <paramref name="value"/> is null when the property is absent or null.
        /// </summary>
        public static ProtocolError ReadDesiredFromTwin(byte[] twin, string name, out string value, out long version)
        {
            value = null;
            version = 0;
            try
            {
                JsonReader reader = NewReader(twin);
                reader.ReadExpected(JsonTokenType.StartObject);
                while (reader.ReadPropertyOrEnd())
                {
                    if (reader.ValueEquals("desired"))
                    {
                        reader.ReadExpected(JsonTokenType.StartObject);
                        ReadSection(reader, name, out value, out version);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                reader.ReadEndOfDocument();
                return ProtocolError.None;
            }
            catch (ProtocolException e)
            {
                value = null;
                return e.Error;
            }
        }

        /// <summary>Reads <paramref name="name"/> from a desired-properties patch (<c>{"smartseal":"...","$version":n}</c>).</summary>
        public static ProtocolError ReadDesiredFromPatch(byte[] patch, string name, out string value, out long version)
        {
            value = null;
            version = 0;
            try
            {
                JsonReader reader = NewReader(patch);
                reader.ReadExpected(JsonTokenType.StartObject);
                ReadSection(reader, name, out value, out version);
                reader.ReadEndOfDocument();
                return ProtocolError.None;
            }
            catch (ProtocolException e)
            {
                value = null;
                return e.Error;
            }
        }

        /// <summary>Reads the members of an object whose start was consumed, up to and including its end.</summary>
        private static void ReadSection(JsonReader reader, string name, out string value, out long version)
        {
            value = null;
            version = 0;
            while (reader.ReadPropertyOrEnd())
            {
                if (reader.ValueEquals(name))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        value = reader.GetString();
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        throw reader.Malformed(ProtocolError.JsonUnexpectedType, name + " must be a string");
                    }
                }
                else if (reader.ValueEquals("$version"))
                {
                    version = reader.ReadInt64();
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        private static JsonReader NewReader(byte[] payload)
        {
            JsonReader reader = new JsonReader(payload, 0, payload.Length);
            reader.MaxStringLength = EnvelopeCodec.MaxEnvelopeBytes * 2;
            return reader;
        }
    }
}
