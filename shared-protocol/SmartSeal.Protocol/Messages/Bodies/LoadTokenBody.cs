using SmartSeal.Protocol.Json;

namespace SmartSeal.Protocol.Messages
{
    /// <summary>Deliver a use token to a lock.</summary>
    public class LoadTokenBody : MessageBody
    {
        private static readonly string[] FieldNames = new string[] { "token" };

        /// <summary>"token".</summary>
        public string Token;

        public override string Type
        {
            get { return MessageTypes.LoadToken; }
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
            writer.Property("token", Token);
        }

        protected override void ReadField(int index, JsonReader reader)
        {
            switch (index)
            {
                default:
                    Token = ReadText(reader, "token", 4096);
                    break;
            }
        }

        protected override void Clear()
        {
            Token = null;
        }
    }
}
