using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>An alarm condition started or ended on the device.</summary>
    public class AlarmBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "alarm", "active", "cmp", "detail" };

        /// <summary>"alarm".</summary>
        public AlarmType Alarm;

        /// <summary>"active".</summary>
        public bool Active;

        /// <summary>"cmp" (optional).</summary>
        public int Compartment;

        /// <summary>"detail" (optional).</summary>
        public string Detail;

        public override string Type
        {
            get { return MessageTypes.Alarm; }
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
            writer.Property("alarm", WireNames.AlarmTypes[(int)Alarm]);
            writer.Property("active", Active);
            if (Compartment != 0)
            {
                writer.Property("cmp", Compartment);
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
                    Alarm = (AlarmType)ReadName(reader, "alarm", WireNames.AlarmTypes);
                    break;
                case 1:
                    Active = ReadBool(reader, "active");
                    break;
                case 2:
                    Compartment = ReadInt(reader, "cmp", 0, 255);
                    break;
                default:
                    Detail = ReadText(reader, "detail", 200);
                    break;
            }
        }

        protected override void Clear()
        {
            Alarm = 0;
            Active = false;
            Compartment = 0;
            Detail = null;
        }
    }
}
