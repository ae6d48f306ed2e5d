using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>One chunk of a photo.</summary>
    public class PhotoChunkBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "photo", "index", "data" };

        /// <summary>"photo".</summary>
        public string PhotoId;

        /// <summary>"index".</summary>
        public int Index;

        /// <summary>"data".</summary>
        public byte[] Data;

        public override string Type
        {
            get { return MessageTypes.PhotoChunk; }
        }

        protected override string[] Fields
        {
            get { return FieldNames; }
        }

        protected override long RequiredMask
        {
            get { return 7; }
        }

        protected override void WriteFields(JsonWriter writer)
        {
            writer.Property("photo", PhotoId);
            writer.Property("index", Index);
            writer.Name("data");
            writer.Base64Url(Data, 0, Data.Length);
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    PhotoId = ReadId(reader, "photo");
                    break;
                case 1:
                    Index = ReadInt(reader, "index", 0, 8191);
                    break;
                default:
                    Data = ReadBase64(reader, "data", 8192);
                    break;
            }
        }

        protected override void Clear()
        {
            PhotoId = null;
            Index = 0;
            Data = null;
        }
    }
}
