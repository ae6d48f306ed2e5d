using SmartSeal.Protocol.Geo;

namespace SmartSeal.Protocol.Tokens
{
    /// <summary>
    /// The verified claims of an approval-bound use token (see Tokens/README.md). Only
    /// <see cref="UseTokenVerifier"/> fills it, and only after the signature checked out.
    /// </summary>
    public class UseToken
    {
        public const string ModeLock = "lock";
        public const string ModeCabinet = "cabinet";

        /// <summary>"jti": unique token id; events and revocations refer to it.</summary>
        public string Id;

        /// <summary>"aud": the device the token is for.</summary>
        public string Audience;

        /// <summary>"sub": the applicant.</summary>
        public string Subject;

        /// <summary>"iat", "nbf", "exp": Unix seconds.</summary>
        public long IssuedAt;

        public long NotBefore;

        public long Expires;

        /// <summary>"seal": the seal the token unlocks.</summary>
        public string SealId;

        /// <summary>"app": the approved application.</summary>
        public string ApplicationId;

        /// <summary>"uses": how many stamps (lock) or collections (cabinet) are allowed.</summary>
        public int Uses;

        /// <summary>"offline": stamps allowed without the cloud's document verdict (0..uses).</summary>
        public int OfflineUses;

        /// <summary>"docs": approved documents; empty when none were bound.</summary>
        public TokenDocument[] Documents;

        /// <summary>"geo": where stamping is allowed; null when unrestricted.</summary>
        public GeoFence Fence;

        /// <summary>"mode": <see cref="ModeLock"/> (default) or <see cref="ModeCabinet"/>.</summary>
        public string Mode;

        /// <summary>"cmp": the compartment (cabinet tokens only; 0 otherwise).</summary>
        public int Compartment;

        /// <summary>
        /// "tag" (optional): the RFID tag of the seal, upper-case hex. A lock with a tag reader
        /// refuses to unlock when another seal (or none) sits in it; null when the cloud did not bind one.
        /// </summary>
        public string SealTag;

        /// <summary>Header "kid": key version label the cloud signed with ("v1"), empty when absent.</summary>
        public string KeyId;

        /// <summary>Index of the document with this id, or -1.</summary>
        public int IndexOfDocument(string documentId)
        {
            if (Documents == null)
            {
                return -1;
            }

            for (int i = 0; i < Documents.Length; i++)
            {
                if (Documents[i].Id == documentId)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
