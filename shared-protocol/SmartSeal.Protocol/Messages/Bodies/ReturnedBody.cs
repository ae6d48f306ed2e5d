using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>The right seal came back into its compartment.</summary>
    public class ReturnedBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "cmp", "seal", "tag", "photo" };

        /// <summary>"cmp".</summary>
        public int Compartment;

        /// <summary>"seal".</summary>
        public string SealId;

        /// <summary>"tag".</summary>
        public string TagId;

        /// <summary>"photo" (optional).</summary>
        public string PhotoId;

        public override string Type
        {
            get { return MessageTypes.Returned; }
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
            writer.Property("tag", TagId);
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
            PhotoId = null;
        }
    }
}
