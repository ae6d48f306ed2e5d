using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>A door opened or closed (compartment number, or 0 for the lock's own body).</summary>
    public class DoorBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "cmp", "open", "forced", "heldS" };

        /// <summary>"cmp".</summary>
        public int Compartment;

        /// <summary>"open".</summary>
        public bool Open;

        /// <summary>"forced" (optional).</summary>
        public bool Forced;

        /// <summary>"heldS" (optional).</summary>
        public int HeldOpenSeconds;

        public override string Type
        {
            get { return MessageTypes.Door; }
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
            writer.Property("cmp", Compartment);
            writer.Property("open", Open);
            if (Forced)
            {
                writer.Property("forced", true);
            }

            if (HeldOpenSeconds != 0)
            {
                writer.Property("heldS", HeldOpenSeconds);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Compartment = ReadInt(reader, "cmp", 0, 255);
                    break;
                case 1:
                    Open = ReadBool(reader, "open");
                    break;
                case 2:
                    Forced = ReadBool(reader, "forced");
                    break;
                default:
                    HeldOpenSeconds = ReadInt(reader, "heldS", 0, 2147483647);
                    break;
            }
        }

        protected override void Clear()
        {
            Compartment = 0;
            Open = false;
            Forced = false;
            HeldOpenSeconds = 0;
        }
    }
}
