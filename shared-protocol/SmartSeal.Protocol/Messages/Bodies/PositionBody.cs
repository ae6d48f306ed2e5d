using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>A position report.</summary>
    public class PositionBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "fix", "moving" };

        /// <summary>"fix".</summary>
        public GeoFix Fix;

        /// <summary>"moving" (optional).</summary>
        public bool Moving;

        public override string Type
        {
            get { return MessageTypes.Position; }
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
            writer.Name("fix");
            Fix.Write(writer);
            if (Moving)
            {
                writer.Property("moving", true);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Fix = GeoFix.Read(reader, "fix");
                    break;
                default:
                    Moving = ReadBool(reader, "moving");
                    break;
            }
        }

        protected override void Clear()
        {
            Fix = null;
            Moving = false;
        }
    }
}
