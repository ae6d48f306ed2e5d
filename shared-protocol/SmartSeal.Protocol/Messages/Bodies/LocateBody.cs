using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Report a position now.</summary>
    public class LocateBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] {  };

        public override string Type
        {
            get { return MessageTypes.LocateNow; }
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
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            reader.Skip();
        }

        protected override void Clear()
        {
        }
    }
}
