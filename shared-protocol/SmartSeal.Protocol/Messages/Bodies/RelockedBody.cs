using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>The lock closed again.</summary>
    public class RelockedBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "attempt", "reason" };

        /// <summary>"attempt".</summary>
        public string AttemptId;

        /// <summary>"reason".</summary>
        public RelockReason Reason;

        public override string Type
        {
            get { return MessageTypes.Relocked; }
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
            writer.Property("reason", WireNames.RelockReasons[(int)Reason]);
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    AttemptId = ReadId(reader, "attempt");
                    break;
                default:
                    Reason = (RelockReason)ReadName(reader, "reason", WireNames.RelockReasons);
                    break;
            }
        }

        protected override void Clear()
        {
            AttemptId = null;
            Reason = 0;
        }
    }
}
