using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>The outcome of a command, correlated by command id.</summary>
    public class CommandResultBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "cmd", "ok", "reason", "detail" };

        /// <summary>"cmd".</summary>
        public string CommandId;

        /// <summary>"ok".</summary>
        public bool Ok;

        /// <summary>"reason" (optional).</summary>
        public RefusalReason Reason;

        /// <summary>"detail" (optional).</summary>
        public string Detail;

        public override string Type
        {
            get { return MessageTypes.CommandResult; }
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
            writer.Property("cmd", CommandId);
            writer.Property("ok", Ok);
            if (Reason != 0)
            {
                writer.Property("reason", WireNames.RefusalReasons[(int)Reason]);
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
                    CommandId = ReadId(reader, "cmd");
                    break;
                case 1:
                    Ok = ReadBool(reader, "ok");
                    break;
                case 2:
                    Reason = (RefusalReason)ReadName(reader, "reason", WireNames.RefusalReasons);
                    break;
                default:
                    Detail = ReadText(reader, "detail", 200);
                    break;
            }
        }

        protected override void Clear()
        {
            CommandId = null;
            Ok = false;
            Reason = 0;
            Detail = null;
        }
    }
}
