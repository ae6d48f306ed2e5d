using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>The tamper loop or case switch changed.</summary>
    public class TamperBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "source", "active" };

        /// <summary>"source".</summary>
        public string Source;

        /// <summary>"active".</summary>
        public bool Active;

        public override string Type
        {
            get { return MessageTypes.Tamper; }
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
            writer.Property("source", Source);
            writer.Property("active", Active);
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Source = ReadText(reader, "source", 32);
                    break;
                default:
                    Active = ReadBool(reader, "active");
                    break;
            }
        }

        protected override void Clear()
        {
            Source = null;
            Active = false;
        }
    }
}
