using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>The lock opened for one stamp (its count was persisted before).</summary>
    public class UnlockedBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "attempt", "jti", "remaining", "offline", "fix" };

        /// <summary>"attempt".</summary>
        public string AttemptId;

        /// <summary>"jti".</summary>
        public string TokenId;

        /// <summary>"remaining".</summary>
        public int Remaining;

        /// <summary>"offline" (optional).</summary>
        public bool Offline;

        /// <summary>"fix" (optional).</summary>
        public GeoFix Fix;

        public override string Type
        {
            get { return MessageTypes.Unlocked; }
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
            writer.Property("attempt", AttemptId);
            writer.Property("jti", TokenId);
            writer.Property("remaining", Remaining);
            if (Offline)
            {
                writer.Property("offline", true);
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
                    Remaining = ReadInt(reader, "remaining", 0, 10000);
                    break;
                case 3:
                    Offline = ReadBool(reader, "offline");
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
            Remaining = 0;
            Offline = false;
            Fix = null;
        }
    }
}
