using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>
    /// Base of every message body: a JSON object whose fields each body lists in wire order.
    /// Reading is strict — duplicate fields, wrong types and out-of-range values are refused;
    /// missing required fields are named — and forward compatible: unknown fields are skipped
    /// (the envelope MAC covers them anyway). Writing emits the canonical form.
    /// </summary>
    public abstract class MessageBody
    {
        /// <summary>The message type (<see cref="MessageTypes"/>) this body belongs to.</summary>
        public abstract string Type { get; }

        /// <summary>Wire names of the fields; index i is bit i of <see cref="RequiredMask"/>.</summary>
        protected abstract string[] Fields { get; }

        /// <summary>Bits of the fields that must be present.</summary>
        protected abstract long RequiredMask { get; }

        /// <summary>Writes the body's fields (between the braces, which the caller writes).</summary>
        protected abstract void WriteFields(JsonWriter writer);

        /// <summary>Reads the value of field <paramref name="index"/>; throws <see cref="ProtocolException"/> when it is invalid.</summary>
        protected abstract void ReadField(int index, JsonReader reader);

        /// <summary>Resets optional fields before reading, so a reused instance carries nothing over.</summary>
        protected abstract void Clear();

        public void Write(JsonWriter writer)
        {
            writer.BeginObject();
            WriteFields(writer);
            writer.EndObject();
        }

        /// <summary>Reads the body from the reader positioned before its opening brace.</summary>
        public void Read(JsonReader reader)
        {
            Clear();
            string[] fields = Fields;
            reader.ReadExpected(JsonTokenType.StartObject);
            long seen = 0;
            while (reader.ReadPropertyOrEnd())
            {
                int index = -1;
                for (int i = 0; i < fields.Length; i++)
                {
                    if (reader.ValueEquals(fields[i]))
                    {
                        index = i;
                        break;
                    }
                }

                if (index < 0)
                {
                    reader.Skip();
                    continue;
                }

                long bit = 1L << index;
                if ((seen & bit) != 0)
                {
                    throw new ProtocolException(ProtocolError.JsonDuplicateProperty, "duplicate field " + fields[index]);
                }

                seen |= bit;
                ReadField(index, reader);
            }

            long missing = RequiredMask & ~seen;
            if (missing != 0)
            {
                for (int i = 0; i < fields.Length; i++)
                {
                    if ((missing & (1L << i)) != 0)
                    {
                        throw new ProtocolException(ProtocolError.MessageMissingField, "missing field " + fields[i]);
                    }
                }
            }
        }

        protected static string ReadText(JsonReader reader, string field, int maxLength)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                throw Bad(field, "must be a string");
            }

            string value = reader.GetString();
            if (value.Length > maxLength)
            {
                throw Bad(field, "longer than " + maxLength.ToString());
            }

            return value;
        }

        /// <summary>An identifier: 1..64 characters of [A-Za-z0-9._-] (ids appear in logs, ledgers and file names).</summary>
        protected static string ReadId(JsonReader reader, string field)
        {
            string value = ReadText(reader, field, Security.DeviceId.MaxLength);
            if (!Security.DeviceId.IsValid(value))
            {
                throw Bad(field, "is not a valid id");
            }

            return value;
        }

        protected static long ReadLong(JsonReader reader, string field, long min, long max)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.Number)
            {
                throw Bad(field, "must be an integer");
            }

            long value;
            try
            {
                value = reader.GetInt64();
            }
            catch (ProtocolException)
            {
                throw Bad(field, "must be an integer");
            }

            if (value < min || value > max)
            {
                throw Bad(field, "out of range " + min.ToString() + ".." + max.ToString());
            }

            return value;
        }

        protected static int ReadInt(JsonReader reader, string field, int min, int max)
        {
            return (int)ReadLong(reader, field, min, max);
        }

        protected static bool ReadBool(JsonReader reader, string field)
        {
            if (!reader.Read() || (reader.TokenType != JsonTokenType.True && reader.TokenType != JsonTokenType.False))
            {
                throw Bad(field, "must be true or false");
            }

            return reader.TokenType == JsonTokenType.True;
        }

        /// <summary>Reads one of <paramref name="names"/> and returns its index.</summary>
        protected static int ReadName(JsonReader reader, string field, string[] names)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                throw Bad(field, "must be a string");
            }

            for (int i = 0; i < names.Length; i++)
            {
                if (names[i] != null && reader.ValueEquals(names[i]))
                {
                    return i;
                }
            }

            throw Bad(field, "has an unknown value");
        }

        protected static string[] ReadIdArray(JsonReader reader, string field, int maxCount)
        {
            reader.ReadExpected(JsonTokenType.StartArray);
            System.Collections.ArrayList ids = new System.Collections.ArrayList();
            while (reader.ReadElementOrEnd())
            {
                if (reader.TokenType != JsonTokenType.String || ids.Count == maxCount)
                {
                    throw Bad(field, "must be at most " + maxCount.ToString() + " ids");
                }

                string id = reader.GetString();
                if (!Security.DeviceId.IsValid(id))
                {
                    throw Bad(field, "holds an invalid id");
                }

                ids.Add(id);
            }

            return (string[])ids.ToArray(typeof(string));
        }

        protected static long[] ReadLongArray(JsonReader reader, string field, int maxCount, long min, long max)
        {
            reader.ReadExpected(JsonTokenType.StartArray);
            System.Collections.ArrayList values = new System.Collections.ArrayList();
            while (reader.ReadElementOrEnd())
            {
                if (reader.TokenType != JsonTokenType.Number || values.Count == maxCount)
                {
                    throw Bad(field, "must be at most " + maxCount.ToString() + " integers");
                }

                long value = reader.GetInt64();
                if (value < min || value > max)
                {
                    throw Bad(field, "holds a value out of range");
                }

                values.Add(value);
            }

            long[] result = new long[values.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (long)values[i];
            }

            return result;
        }

        /// <summary>Reads base64url bytes, at most <paramref name="maxBytes"/> of them.</summary>
        protected static byte[] ReadBase64(JsonReader reader, string field, int maxBytes)
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.String)
            {
                throw Bad(field, "must be a base64url string");
            }

            reader.MaxStringLength = Text.Base64Url.EncodedLength(maxBytes) + 2;
            byte[] value = reader.GetBase64Url();
            if (value == null || value.Length > maxBytes)
            {
                throw Bad(field, "must be base64url of at most " + maxBytes.ToString() + " bytes");
            }

            return value;
        }

        protected static void WriteIdArray(JsonWriter writer, string name, string[] ids)
        {
            writer.Name(name);
            writer.BeginArray();
            for (int i = 0; i < ids.Length; i++)
            {
                writer.String(ids[i]);
            }

            writer.EndArray();
        }

        protected static ProtocolException Bad(string field, string problem)
        {
            return new ProtocolException(ProtocolError.MessageBadField, field + " " + problem);
        }
    }
}
