using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>A device started: firmware, why it reset, and whether it is enabled.</summary>
    public class BootBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "fw", "reset", "boots", "enabled" };

        /// <summary>"fw".</summary>
        public string Firmware;

        /// <summary>"reset".</summary>
        public string ResetReason;

        /// <summary>"boots".</summary>
        public long BootCount;

        /// <summary>"enabled".</summary>
        public bool Enabled;

        public override string Type
        {
            get { return MessageTypes.Boot; }
        }

        protected override string[] Fields
        {
            get { return FieldNames; }
        }

        protected override long RequiredMask
        {
            get { return 15; }
        }

        protected override void WriteFields(JsonWriter writer)
        {
            writer.Property("fw", Firmware);
            writer.Property("reset", ResetReason);
            writer.Property("boots", BootCount);
            writer.Property("enabled", Enabled);
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Firmware = ReadText(reader, "fw", 32);
                    break;
                case 1:
                    ResetReason = ReadText(reader, "reset", 32);
                    break;
                case 2:
                    BootCount = ReadLong(reader, "boots", 0, 2147483647);
                    break;
                default:
                    Enabled = ReadBool(reader, "enabled");
                    break;
            }
        }

        protected override void Clear()
        {
            Firmware = null;
            ResetReason = null;
            BootCount = 0;
            Enabled = false;
        }
    }
}
