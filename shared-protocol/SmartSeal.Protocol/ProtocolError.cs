namespace SmartSeal.Protocol
{
    /// <summary>
    /// Why the protocol refused an input. Every refusal of the protocol layer carries one of
    /// these codes (plus a short detail), so devices, the cloud and logs speak the same language.
    /// Numeric values are part of the wire contract (refusal events carry them): never renumber.
    /// </summary>
    public enum ProtocolError
    {
        None = 0,

        // JSON (10..29)
        JsonMalformed = 10,
        JsonTooDeep = 11,
        JsonTooLarge = 12,
        JsonDuplicateProperty = 13,
        JsonUnexpectedType = 14,
        JsonNumberNotInteger = 15,
        JsonNumberOutOfRange = 16,
        JsonStringTooLong = 17,
        JsonTrailingData = 18,

        // Envelope (30..49)
        EnvelopeMissingField = 30,
        EnvelopeBadVersion = 31,
        EnvelopeBadDeviceId = 32,
        EnvelopeBadType = 33,
        EnvelopeUnknownType = 34,
        EnvelopeBadMac = 35,
        EnvelopeMacMismatch = 36,
        EnvelopeBodyTooLarge = 37,
        EnvelopeWrongDevice = 38,
        EnvelopeBadSequence = 39,
        EnvelopeBadId = 40,
        EnvelopeWrongDirection = 41,
        EnvelopeUnknownField = 42,

        // Commands (50..59)
        CommandExpired = 50,
        CommandNotYetValid = 51,
        CommandReplayed = 52,
        CommandMissingExpiry = 53,
        CommandLifetimeTooLong = 54,

        // Tokens (60..89)
        TokenMalformed = 60,
        TokenBadBase64 = 61,
        TokenBadHeader = 62,
        TokenAlgorithmNotAllowed = 63,
        TokenBadSignature = 64,
        TokenWrongAudience = 65,
        TokenExpired = 66,
        TokenNotYetValid = 67,
        TokenMissingClaim = 68,
        TokenBadClaim = 69,
        TokenBadUseCount = 70,
        TokenBadGeofence = 71,
        TokenTooLarge = 72,
        TokenBadDocuments = 73,
        TokenIssuedInFuture = 74,

        // Keys and credentials (90..99)
        KeyBadLength = 90,
        PasswordMalformed = 91,
        PasswordExpired = 92,
        PasswordBadSignature = 93,
        PasswordLifetimeTooLong = 94,

        // Messages (100..119)
        MessageMissingField = 100,
        MessageBadField = 101,

        // Provisioning file (120..129)
        ProvisioningUnknownField = 120,
        ProvisioningBadField = 121,
        ProvisioningMissingField = 122,
        ProvisioningUnsupportedFormat = 123,
    }
}
