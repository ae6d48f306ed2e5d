using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Open a compartment to take a seal back.</summary>
    public class AcceptReturnBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "cmp", "seal", "tag" };

        /// <summary>"cmp".</summary>
        public int Compartment;

        /// <summary>"seal".</summary>
        public string SealId;

        /// <summary>"tag".</summary>
        public string ExpectedTag;

        public override string Type
        {
            get { return MessageTypes.AcceptReturn; }
        }

        protected override string[] Fields
        {
            get { return FieldNames; }
        }

        protected override long RequiredMask
        {
            get { return 7; }
        }

        protected override void WriteFields(JsonWriter writer)
        {
            writer.Property("cmp", Compartment);
            writer.Property("seal", SealId);
            writer.Property("tag", ExpectedTag);
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Compartment = ReadInt(reader, "cmp", 1, 255);
                    break;
                case 1:
                    SealId = ReadId(reader, "seal");
                    break;
                default:
                    ExpectedTag = ReadText(reader, "tag", 32);
                    break;
            }
        }

        protected override void Clear()
        {
            Compartment = 0;
            SealId = null;
            ExpectedTag = null;
        }
    }
}
