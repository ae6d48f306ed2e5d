using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>The cloud's verdict on a photographed page, bound to the attempt.</summary>
    public class DocumentVerdictBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "attempt", "verdict", "doc", "page", "detail" };

        /// <summary>"attempt".</summary>
        public string AttemptId;

        /// <summary>"verdict".</summary>
        public DocumentVerdictKind Verdict;

        /// <summary>"doc" (optional).</summary>
        public string DocumentId;

        /// <summary>"page" (optional).</summary>
        public int Page;

        /// <summary>"detail" (optional).</summary>
        public string Detail;

        public override string Type
        {
            get { return MessageTypes.DocumentVerdict; }
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
            writer.Property("verdict", WireNames.Verdicts[(int)Verdict]);
            if (DocumentId != null)
            {
                writer.Property("doc", DocumentId);
            }

            if (Page != 0)
            {
                writer.Property("page", Page);
            }

            if (Detail != null)
            {
                writer.Property("detail", Detail);
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
                    Verdict = (DocumentVerdictKind)ReadName(reader, "verdict", WireNames.Verdicts);
                    break;
                case 2:
                    DocumentId = ReadText(reader, "doc", 128);
                    break;
                case 3:
                    Page = ReadInt(reader, "page", 0, 10000);
                    break;
                default:
                    Detail = ReadText(reader, "detail", 200);
                    break;
            }
        }

        protected override void Clear()
        {
            AttemptId = null;
            Verdict = 0;
            DocumentId = null;
            Page = 0;
            Detail = null;
        }
    }
}
