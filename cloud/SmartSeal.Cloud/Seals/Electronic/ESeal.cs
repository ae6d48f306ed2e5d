namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>The electronic form of a register seal; the seal's own fields (name, unit, type, keeper) are on <see cref="Seal"/>.</summary>
public sealed record ESeal(string SealId, SealForm Form, ESealState State, string? KeyLabel, string? CertificateSerial, long? CertificateNotAfterMs, long CreatedMs, long UpdatedMs)
{
    public ESealAction[] AllowedActions => ESealLifecycle.AllowedActions(State);

    /// <summary>Whether sealing draws the impression from the seal's text or uses the keeper's scan (<see cref="ImpressionScanId"/>).</summary>
    public ImpressionSource Impression { get; init; }

    /// <summary>The current scan of the legacy seal's impression, if one was uploaded.</summary>
    public string? ImpressionScanId { get; init; }
}

/// <summary>A register seal with its electronic form, as the e-seal API shows it.</summary>
public sealed record ESealView(Seal Seal, ESeal ESeal);

/// <summary>What signing with an e-seal needs: the seal, its electronic state and its current certificate (public part; the key is on the token under <see cref="ESeal.KeyLabel"/>).</summary>
public sealed record ESealForSigning(Seal Seal, ESeal ESeal, System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate);
