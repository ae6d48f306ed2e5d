using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>The device applied a desired state (acknowledges remote disable/enable).</summary>
    public class StateAppliedBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "version", "enabled", "cmd" };

        /// <summary>"version".</summary>
        public long Version;

        /// <summary>"enabled".</summary>
        public bool Enabled;

        /// <summary>"cmd" (optional).</summary>
        public string CommandId;

        public override string Type
        {
            get { return MessageTypes.StateApplied; }
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
            writer.Property("version", Version);
            writer.Property("enabled", Enabled);
            if (CommandId != null)
            {
                writer.Property("cmd", CommandId);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Version = ReadLong(reader, "version", 0, 9007199254740991);
                    break;
                case 1:
                    Enabled = ReadBool(reader, "enabled");
                    break;
                default:
                    CommandId = ReadId(reader, "cmd");
                    break;
            }
        }

        protected override void Clear()
        {
            Version = 0;
            Enabled = false;
            CommandId = null;
        }
    }
}
