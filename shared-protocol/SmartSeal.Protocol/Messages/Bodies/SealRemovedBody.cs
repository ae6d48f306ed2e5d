using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>A seal's tag left its compartment without a dispense.</summary>
    public class SealRemovedBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "cmp", "tag" };

        /// <summary>"cmp".</summary>
        public int Compartment;

        /// <summary>"tag".</summary>
        public string TagId;

        public override string Type
        {
            get { return MessageTypes.SealRemoved; }
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
            writer.Property("cmp", Compartment);
            writer.Property("tag", TagId);
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Compartment = ReadInt(reader, "cmp", 1, 255);
                    break;
                default:
                    TagId = ReadText(reader, "tag", 32);
                    break;
            }
        }

        protected override void Clear()
        {
            Compartment = 0;
            TagId = null;
        }
    }
}
