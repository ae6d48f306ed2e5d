namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>The electronic form of a register seal; the seal's own fields (name, unit, type, keeper) are on <see cref="Seal"/>.</summary>
public sealed record ESeal(string SealId, SealForm Form, ESealState State, string? KeyLabel, string? CertificateSerial, long? CertificateNotAfterMs, long CreatedMs, long UpdatedMs)
{
    public ESealAction[] AllowedActions => ESealLifecycle.AllowedActions(State);
}

/// <summary>A register seal with its electronic form, as the e-seal API shows it.</summary>
public sealed record ESealView(Seal Seal, ESeal ESeal);
