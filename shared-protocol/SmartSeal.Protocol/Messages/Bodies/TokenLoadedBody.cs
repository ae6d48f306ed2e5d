using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>A use token was verified and stored.</summary>
    public class TokenLoadedBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "jti", "uses", "remaining" };

        /// <summary>"jti".</summary>
        public string TokenId;

        /// <summary>"uses".</summary>
        public int Uses;

        /// <summary>"remaining".</summary>
        public int Remaining;

        public override string Type
        {
            get { return MessageTypes.TokenLoaded; }
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
            writer.Property("jti", TokenId);
            writer.Property("uses", Uses);
            writer.Property("remaining", Remaining);
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    TokenId = ReadId(reader, "jti");
                    break;
                case 1:
                    Uses = ReadInt(reader, "uses", 1, 10000);
                    break;
                default:
                    Remaining = ReadInt(reader, "remaining", 0, 10000);
                    break;
            }
        }

        protected override void Clear()
        {
            TokenId = null;
            Uses = 0;
            Remaining = 0;
        }
    }
}
