using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Open one compartment for a verified cabinet collection.</summary>
    public class DispenseBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "cmp", "seal", "tag", "token" };

        /// <summary>"cmp".</summary>
        public int Compartment;

        /// <summary>"seal".</summary>
        public string SealId;

        /// <summary>"tag".</summary>
        public string ExpectedTag;

        /// <summary>"token".</summary>
        public string Token;

        public override string Type
        {
            get { return MessageTypes.Dispense; }
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
            writer.Property("cmp", Compartment);
            writer.Property("seal", SealId);
            writer.Property("tag", ExpectedTag);
            writer.Property("token", Token);
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
                case 2:
                    ExpectedTag = ReadText(reader, "tag", 32);
                    break;
                default:
                    Token = ReadText(reader, "token", 4096);
                    break;
            }
        }

        protected override void Clear()
        {
            Compartment = 0;
            SealId = null;
            ExpectedTag = null;
            Token = null;
        }
    }
}
