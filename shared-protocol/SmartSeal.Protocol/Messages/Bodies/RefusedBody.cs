using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>The device refused an attempt, with the reason.</summary>
    public class RefusedBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "attempt", "reason", "detail", "jti", "fix" };

        /// <summary>"attempt" (optional).</summary>
        public string AttemptId;

        /// <summary>"reason".</summary>
        public RefusalReason Reason;

        /// <summary>"detail" (optional).</summary>
        public string Detail;

        /// <summary>"jti" (optional).</summary>
        public string TokenId;

        /// <summary>"fix" (optional).</summary>
        public GeoFix Fix;

        public override string Type
        {
            get { return MessageTypes.Refused; }
        }

        protected override string[] Fields
        {
            get { return FieldNames; }
        }

        protected override long RequiredMask
        {
            get { return 2; }
        }

        protected override void WriteFields(JsonWriter writer)
        {
            if (AttemptId != null)
            {
                writer.Property("attempt", AttemptId);
            }

            writer.Property("reason", WireNames.RefusalReasons[(int)Reason]);
            if (Detail != null)
            {
                writer.Property("detail", Detail);
            }

            if (TokenId != null)
            {
                writer.Property("jti", TokenId);
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
                    Reason = (RefusalReason)ReadName(reader, "reason", WireNames.RefusalReasons);
                    break;
                case 2:
                    Detail = ReadText(reader, "detail", 200);
                    break;
                case 3:
                    TokenId = ReadId(reader, "jti");
                    break;
                default:
                    Fix = GeoFix.Read(reader, "fix");
                    break;
            }
        }

        protected override void Clear()
        {
            AttemptId = null;
            Reason = 0;
            Detail = null;
            TokenId = null;
            Fix = null;
        }
    }
}
