namespace SmartSeal.Cloud.Ledger;

public sealed class LedgerOptions
{
    public const string Section = "SmartSeal:Ledger";

    /// <summary>PEM (PKCS#8) of the ECDSA P-256 key that signs checkpoints; empty: generated into the data directory.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>How often a checkpoint is made when the ledger grew.</summary>
    public int CheckpointMinutes { get; set; } = 60;

    /// <summary>
    /// PEM with the certificate and private key of the cloud's own time-stamping authority (RFC 3161),
    /// a key apart from the ledger signing key. Required in Production; elsewhere generated into the
    /// data directory (<c>ledger-tsa.pem</c>) when empty.
    /// </summary>
    public string? TimeStampKeyPath { get; set; }

    /// <summary>
    /// The append-only witness: a directory outside the database (another disk, a mounted
    /// write-once share) that receives every checkpoint with its timestamp under a name that is
    /// never overwritten. Empty: <c>{DataDirectory}/ledger-witness</c>.
    /// </summary>
    public string? WitnessDirectory { get; set; }

    /// <summary>How long entries and their photos are kept (years, at least 5: the host refuses to start below); deletion before that is refused, and the verifier would see it.</summary>
    public int RetentionYears { get; set; } = 5;
}
