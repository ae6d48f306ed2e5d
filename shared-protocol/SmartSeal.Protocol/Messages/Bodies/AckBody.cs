using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Sequence numbers the cloud has persisted; the device drops them from flash.</summary>
    public class AckBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "seqs" };

        /// <summary>"seqs".</summary>
        public long[] Seqs;

        public override string Type
        {
            get { return MessageTypes.Ack; }
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
            writer.Name("seqs");
            writer.BeginArray();
            for (int i = 0; i < Seqs.Length; i++)
            {
                writer.Number(Seqs[i]);
            }

            writer.EndArray();
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                default:
                    Seqs = ReadLongArray(reader, "seqs", 256, 1, 9007199254740991);
                    break;
            }
        }

        protected override void Clear()
        {
            Seqs = null;
        }
    }
}
