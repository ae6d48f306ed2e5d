using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>
    /// The seal tags a device's readers see now: for each occupied slot (cabinet compartment
    /// number; 1 for a lock) its tag, in two arrays of the same length; slots whose reader cannot
    /// read are listed apart. Empty slots are simply absent.
    /// </summary>
    public class TagReportBody : MessageBody
    {
        public const int MaxSlots = 255;

        private static readonly string[] FieldNames = new string[] { "check", "slots", "tags", "unreadable" };

        /// <summary>"check" (optional): the inventory check the report answers.</summary>
        public string CheckId;

        /// <summary>"slots": occupied slot numbers, parallel to <see cref="Tags"/>.</summary>
        public long[] Slots;

        /// <summary>"tags": the tag read in each slot of <see cref="Slots"/>.</summary>
        public string[] Tags;

        /// <summary>"unreadable" (optional): slots whose reader failed.</summary>
        public long[] Unreadable;

        public override string Type
        {
            get { return MessageTypes.TagReport; }
        }

        protected override string[] Fields
        {
            get { return FieldNames; }
        }

        protected override long RequiredMask
        {
            get { return 6; }
        }

        protected override void WriteFields(JsonWriter writer)
        {
            if (CheckId != null)
            {
                writer.Property("check", CheckId);
            }

            writer.Name("slots");
            writer.BeginArray();
            for (int i = 0; i < Slots.Length; i++)
            {
                writer.Number(Slots[i]);
            }

            writer.EndArray();
            WriteIdArray(writer, "tags", Tags);
            if (Unreadable != null && Unreadable.Length > 0)
            {
                writer.Name("unreadable");
                writer.BeginArray();
                for (int i = 0; i < Unreadable.Length; i++)
                {
                    writer.Number(Unreadable[i]);
                }

                writer.EndArray();
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    CheckId = ReadId(reader, "check");
                    break;
                case 1:
                    Slots = ReadLongArray(reader, "slots", MaxSlots, 1, MaxSlots);
                    break;
                case 2:
                    Tags = ReadIdArray(reader, "tags", MaxSlots);
                    break;
                default:
                    Unreadable = ReadLongArray(reader, "unreadable", MaxSlots, 1, MaxSlots);
                    break;
            }
        }

        protected override void Clear()
        {
            CheckId = null;
            Slots = null;
            Tags = null;
            Unreadable = null;
        }
    }
}
