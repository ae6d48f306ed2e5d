using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>The retained desired state; applied first after every (re)connect, only forward in version.</summary>
    public class DesiredStateBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "version", "enabled", "token", "revoked" };

        /// <summary>"version".</summary>
        public long Version;

        /// <summary>"enabled".</summary>
        public bool Enabled;

        /// <summary>"token" (optional).</summary>
        public string Token;

        /// <summary>"revoked" (optional).</summary>
        public string[] RevokedTokenIds;

        public override string Type
        {
            get { return MessageTypes.DesiredState; }
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
            writer.Property("version", Version);
            writer.Property("enabled", Enabled);
            if (Token != null)
            {
                writer.Property("token", Token);
            }

            if (RevokedTokenIds != null)
            {
                WriteIdArray(writer, "revoked", RevokedTokenIds);
            }
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                case 0:
                    Version = ReadLong(reader, "version", 0, 9007199254740991);
                    break;
                case 1:
                    Enabled = ReadBool(reader, "enabled");
                    break;
                case 2:
                    Token = ReadText(reader, "token", 4096);
                    break;
                default:
                    RevokedTokenIds = ReadIdArray(reader, "revoked", 64);
                    break;
            }
        }

        protected override void Clear()
        {
            Version = 0;
            Enabled = false;
            Token = null;
            RevokedTokenIds = null;
        }
    }
}
