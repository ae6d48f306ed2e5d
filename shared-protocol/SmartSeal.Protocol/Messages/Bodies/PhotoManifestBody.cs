using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>
    /// Announces a photo or a video clip sent in chunks; mac = HMAC(K_dev, the bytes). "media" says
    /// which ("mp4" for a clip); absent means a JPEG, so older devices' manifests read unchanged.
    /// </summary>
    public class PhotoManifestBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "photo", "purpose", "attempt", "size", "chunk", "chunks", "mac", "media" };

        /// <summary>"photo".</summary>
        public string PhotoId;

        /// <summary>"purpose".</summary>
        public PhotoPurpose Purpose;

        /// <summary>"attempt" (optional).</summary>
        public string AttemptId;

        /// <summary>"size".</summary>
        public int Size;

        /// <summary>"chunk".</summary>
        public int ChunkSize;

        /// <summary>"chunks".</summary>
        public int ChunkCount;

        /// <summary>"mac".</summary>
        public byte[] Mac;

        /// <summary>"media" (optional): <see cref="MediaKind.Jpeg"/> when absent.</summary>
        public MediaKind Media;

        public override string Type
        {
            get { return MessageTypes.PhotoManifest; }
        }

        protected override string[] Fields
        {
            get { return FieldNames; }
        }

        protected override long RequiredMask
        {
            get { return 123; }
        }

        protected override void WriteFields(JsonWriter writer)
        {
            writer.Property("photo", PhotoId);
            writer.Property("purpose", WireNames.PhotoPurposes[(int)Purpose]);
            if (AttemptId != null)
            {
                writer.Property("attempt", AttemptId);
            }

            writer.Property("size", Size);
            writer.Property("chunk", ChunkSize);
            writer.Property("chunks", ChunkCount);
            writer.Name("mac");
            writer.Base64Url(Mac, 0, Mac.Length);
            if (Media != MediaKind.Unknown && Media != MediaKind.Jpeg)
            {
                writer.Property("media", WireNames.MediaKinds[(int)Media]);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    PhotoId = ReadId(reader, "photo");
                    break;
                case 1:
                    Purpose = (PhotoPurpose)ReadName(reader, "purpose", WireNames.PhotoPurposes);
                    break;
                case 2:
                    AttemptId = ReadId(reader, "attempt");
                    break;
                case 3:
                    Size = ReadInt(reader, "size", 1, 2097152);
                    break;
                case 4:
                    ChunkSize = ReadInt(reader, "chunk", 256, 8192);
                    break;
                case 5:
                    ChunkCount = ReadInt(reader, "chunks", 1, 8192);
                    break;
                case 6:
                    Mac = ReadBase64(reader, "mac", 32);
                    break;
                default:
                    Media = (MediaKind)ReadName(reader, "media", WireNames.MediaKinds);
                    break;
            }
        }

        protected override void Clear()
        {
            PhotoId = null;
            Purpose = 0;
            AttemptId = null;
            Size = 0;
            ChunkSize = 0;
            ChunkCount = 0;
            Mac = null;
            Media = MediaKind.Unknown;
        }
    }
}
