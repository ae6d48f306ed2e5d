namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>Section <c>SmartSeal:ESeals</c>: the PKCS#11 token the seal keys live on and the development CA.</summary>
public sealed class ESealOptions
{
    public const string Section = "SmartSeal:ESeals";

    /// <summary>The PKCS#11 module: SoftHSM2 in development and tests; a vendor's module for an HSM or USB key in production.</summary>
    public string Pkcs11Library { get; set; } = "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>Label of the token that holds the seal keys.</summary>
    public string TokenLabel { get; set; } = "smartseal-e-seals";

    /// <summary>The token's user PIN.</summary>
    public string? UserPin { get; set; }

    /// <summary>
    /// Development only: with a security-officer PIN the cloud initialises a token with
    /// <see cref="TokenLabel"/> on the first free slot when none exists. Production leaves it
    /// empty: the HSM's token is prepared by its administrators.
    /// </summary>
    public string? SoPin { get; set; }

    /// <summary>The organisation (O=) in every seal certificate's subject.</summary>
    public string Organisation { get; set; } = "SmartSeal 开发机构";

    /// <summary>How long a seal certificate is valid.</summary>
    public int CertificateDays { get; set; } = 730;

    /// <summary>Where the development CA keeps its root and issuing keys (PEM); default: {data}/e-seal-ca.</summary>
    public string? CaDirectory { get; set; }

    /// <summary>The address relying parties fetch the CRL from (written into every seal certificate).</summary>
    public string CrlUrl { get; set; } = "http://localhost:5000/api/e-seals/ca/crl";

    /// <summary>Largest scan of a legacy seal's impression a keeper may upload (bytes; a 42 mm seal at 1200 dpi is well under 2 MiB as PNG or JPEG).</summary>
    public long MaxImpressionScanBytes { get; set; } = 2 * 1024 * 1024;
}
