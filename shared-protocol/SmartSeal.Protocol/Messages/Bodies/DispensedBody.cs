using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>A cabinet compartment released its seal: the tag left under a valid cabinet token.</summary>
    public class DispensedBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "cmp", "seal", "tag", "jti", "photo" };

        /// <summary>"cmp".</summary>
        public int Compartment;

        /// <summary>"seal".</summary>
        public string SealId;

        /// <summary>"tag".</summary>
        public string TagId;

        /// <summary>"jti".</summary>
        public string TokenId;

        /// <summary>"photo" (optional).</summary>
        public string PhotoId;

        public override string Type
        {
            get { return MessageTypes.Dispensed; }
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
            writer.Property("tag", TagId);
            writer.Property("jti", TokenId);
            if (PhotoId != null)
            {
                writer.Property("photo", PhotoId);
            }
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
                    TagId = ReadText(reader, "tag", 32);
                    break;
                case 3:
                    TokenId = ReadId(reader, "jti");
                    break;
                default:
                    PhotoId = ReadId(reader, "photo");
                    break;
            }
        }

        protected override void Clear()
        {
            Compartment = 0;
            SealId = null;
            TagId = null;
            TokenId = null;
            PhotoId = null;
        }
    }
}
