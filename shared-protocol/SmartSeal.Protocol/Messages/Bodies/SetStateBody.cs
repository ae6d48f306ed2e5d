using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Enable or disable the device now (remote disable).</summary>
    public class SetStateBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "enabled", "version", "reason" };

        /// <summary>"enabled".</summary>
        public bool Enabled;

        /// <summary>"version".</summary>
        public long Version;

        /// <summary>"reason" (optional).</summary>
        public string Reason;

        public override string Type
        {
            get { return MessageTypes.SetState; }
        }

        protected override string[] Fields
        {
            get { return FieldNames; }
        }

        protected override long RequiredMask
        {
            get { return 3; }
        }

        protected override void WriteFields(JsonWriter writer)
        {
            writer.Property("enabled", Enabled);
            writer.Property("version", Version);
            if (Reason != null)
            {
                writer.Property("reason", Reason);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Enabled = ReadBool(reader, "enabled");
                    break;
                case 1:
                    Version = ReadLong(reader, "version", 0, 9007199254740991);
                    break;
                default:
                    Reason = ReadText(reader, "reason", 200);
                    break;
            }
        }

        protected override void Clear()
        {
            Enabled = false;
            Version = 0;
            Reason = null;
        }
    }
}
