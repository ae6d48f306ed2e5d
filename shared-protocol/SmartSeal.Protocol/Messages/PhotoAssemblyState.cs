namespace SmartSeal.Protocol.Messages
{
    public enum PhotoAssemblyState
    {
        /// <summary>Chunk stored; more are missing.</summary>
        Incomplete = 0,

        /// <summary>Every chunk arrived and the MAC verified: the photo is available.</summary>
        Complete = 1,

        /// <summary>A chunk that arrived before (same bytes): ignored (QoS 1 redelivery).</summary>
        Duplicate = 2,

        /// <summary>Index outside the manifest, wrong length, or a different photo id.</summary>
        BadChunk = 3,

        /// <summary>The same index arrived twice with different bytes.</summary>
        ConflictingChunk = 4,

        /// <summary>All chunks arrived but HMAC(K_dev, jpeg) does not match the manifest.</summary>
        MacMismatch = 5,
    }
}
