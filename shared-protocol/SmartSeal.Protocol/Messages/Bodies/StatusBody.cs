using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Presence (retained; the offline form is the MQTT last will).</summary>
    public class StatusBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "online", "fw", "reason" };

        /// <summary>"online".</summary>
        public bool Online;

        /// <summary>"fw" (optional).</summary>
        public string Firmware;

        /// <summary>"reason" (optional).</summary>
        public string Reason;

        public override string Type
        {
            get { return MessageTypes.Status; }
        }

        protected override string[] Fields
        {
            get { return FieldNames; }
        }

        protected override long RequiredMask
        {
            get { return 1; }
        }

        protected override void WriteFields(JsonWriter writer)
        {
            writer.Property("online", Online);
            if (Firmware != null)
            {
                writer.Property("fw", Firmware);
            }

            if (Reason != null)
            {
                writer.Property("reason", Reason);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Online = ReadBool(reader, "online");
                    break;
                case 1:
                    Firmware = ReadText(reader, "fw", 32);
                    break;
                default:
                    Reason = ReadText(reader, "reason", 64);
                    break;
            }
        }

        protected override void Clear()
        {
            Online = false;
            Firmware = null;
            Reason = null;
        }
    }
}
