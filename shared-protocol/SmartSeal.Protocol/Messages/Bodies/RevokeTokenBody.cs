using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Revoke tokens by jti.</summary>
    public class RevokeTokenBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "jtis" };

        /// <summary>"jtis".</summary>
        public string[] TokenIds;

        public override string Type
        {
            get { return MessageTypes.RevokeToken; }
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
            WriteIdArray(writer, "jtis", TokenIds);
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                default:
                    TokenIds = ReadIdArray(reader, "jtis", 64);
                    break;
            }
        }

        protected override void Clear()
        {
            TokenIds = null;
        }
    }
}
