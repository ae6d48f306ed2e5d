using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>The stamp switch saw a press while unlocked: the use ledger's source record.</summary>
    public class StampedBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "attempt", "jti", "doc", "page", "before", "after", "fix" };

        /// <summary>"attempt".</summary>
        public string AttemptId;

        /// <summary>"jti".</summary>
        public string TokenId;

        /// <summary>"doc" (optional).</summary>
        public string DocumentId;

        /// <summary>"page" (optional).</summary>
        public int Page;

        /// <summary>"before" (optional).</summary>
        public string BeforePhotoId;

        /// <summary>"after" (optional).</summary>
        public string AfterPhotoId;

        /// <summary>"fix" (optional).</summary>
        public GeoFix Fix;

        public override string Type
        {
            get { return MessageTypes.Stamped; }
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
            writer.Property("attempt", AttemptId);
            writer.Property("jti", TokenId);
            if (DocumentId != null)
            {
                writer.Property("doc", DocumentId);
            }

            if (Page != 0)
            {
                writer.Property("page", Page);
            }

            if (BeforePhotoId != null)
            {
                writer.Property("before", BeforePhotoId);
            }

            if (AfterPhotoId != null)
            {
                writer.Property("after", AfterPhotoId);
            }

            if (Fix != null)
            {
                writer.Name("fix");
                Fix.Write(writer);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    AttemptId = ReadId(reader, "attempt");
                    break;
                case 1:
                    TokenId = ReadId(reader, "jti");
                    break;
                case 2:
                    DocumentId = ReadText(reader, "doc", 128);
                    break;
                case 3:
                    Page = ReadInt(reader, "page", 0, 10000);
                    break;
                case 4:
                    BeforePhotoId = ReadId(reader, "before");
                    break;
                case 5:
                    AfterPhotoId = ReadId(reader, "after");
                    break;
                default:
                    Fix = GeoFix.Read(reader, "fix");
                    break;
            }
        }

        protected override void Clear()
        {
            AttemptId = null;
            TokenId = null;
            DocumentId = null;
            Page = 0;
            BeforePhotoId = null;
            AfterPhotoId = null;
            Fix = null;
        }
    }
}
