using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Asks a device which seal tags its readers see now (an inventory check, 盘点); answered with a <see cref="TagReportBody"/>.</summary>
    public class ReportTagsBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "check" };

        /// <summary>"check" (optional): the inventory check that asks, echoed in the report.</summary>
        public string CheckId;

        public override string Type
        {
            get { return MessageTypes.ReportTags; }
        }

        protected override string[] Fields
        {
            get { return FieldNames; }
        }

        protected override long RequiredMask
        {
            get { return 0; }
        }

        protected override void WriteFields(JsonWriter writer)
        {
            if (CheckId != null)
            {
                writer.Property("check", CheckId);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            CheckId = ReadId(reader, "check");
        }

        protected override void Clear()
        {
            CheckId = null;
        }
    }
}
