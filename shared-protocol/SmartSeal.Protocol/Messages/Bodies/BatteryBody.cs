using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Battery state.</summary>
    public class BatteryBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "mv", "pct", "charging" };

        /// <summary>"mv".</summary>
        public int MilliVolts;

        /// <summary>"pct".</summary>
        public int Percent;

        /// <summary>"charging" (optional).</summary>
        public bool Charging;

        public override string Type
        {
            get { return MessageTypes.Battery; }
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
            writer.Property("mv", MilliVolts);
            writer.Property("pct", Percent);
            if (Charging)
            {
                writer.Property("charging", true);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    MilliVolts = ReadInt(reader, "mv", 0, 100000);
                    break;
                case 1:
                    Percent = ReadInt(reader, "pct", 0, 100);
                    break;
                default:
                    Charging = ReadBool(reader, "charging");
                    break;
            }
        }

        protected override void Clear()
        {
            MilliVolts = 0;
            Percent = 0;
            Charging = false;
        }
    }
}
