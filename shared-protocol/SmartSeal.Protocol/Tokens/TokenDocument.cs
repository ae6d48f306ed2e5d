namespace SmartSeal.Protocol.Tokens
{
    /// <summary>One approved document a use token allows stamping: its id and page count.</summary>
    public class TokenDocument
    {
        public TokenDocument(string id, int pages)
        {
            Id = id;
            Pages = pages;
        }

        public string Id { get; private set; }

        public int Pages { get; private set; }
    }
}
