using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>A return brought a different tag than expected (the compartment stays open for correction).</summary>
    public class WrongSealBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "cmp", "expected", "seen" };

        /// <summary>"cmp".</summary>
        public int Compartment;

        /// <summary>"expected".</summary>
        public string ExpectedTag;

        /// <summary>"seen".</summary>
        public string SeenTag;

        public override string Type
        {
            get { return MessageTypes.WrongSeal; }
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
            writer.Property("expected", ExpectedTag);
            writer.Property("seen", SeenTag);
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Compartment = ReadInt(reader, "cmp", 1, 255);
                    break;
                case 1:
                    ExpectedTag = ReadText(reader, "expected", 32);
                    break;
                default:
                    SeenTag = ReadText(reader, "seen", 32);
                    break;
            }
        }

        protected override void Clear()
        {
            Compartment = 0;
            ExpectedTag = null;
            SeenTag = null;
        }
    }
}
