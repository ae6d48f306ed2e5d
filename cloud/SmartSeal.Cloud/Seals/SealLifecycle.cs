namespace SmartSeal.Cloud.Seals;

public enum SealState
{
    EngravingRequested,
    Engraved,
    InUse,
    Suspended,

    /// <summary>Reported lost inside the organisation: seal refused everywhere, still recoverable.</summary>
    LostReported,

    /// <summary>The loss is published (public invalidation notice): the seal can never be used again.</summary>
    LostPublished,
    Revoked,
    Destroyed,
}

public enum SealAction
{
    Engrave,
    Activate,
    Suspend,
    Resume,
    ReportLost,
    PublishLoss,
    Recover,
    Revoke,
    Destroy,
}

/// <summary>
/// The seal lifecycle as one table: engraving-requested → engraved → in-use ⇄ suspended →
/// lost-reported → lost-published → revoked → destroyed. A seal reported lost and found again
/// before the loss is published is recovered into use; once the public invalidation is out it
/// can only be revoked. Orders that never became a seal (requested, engraved) can be revoked.
/// </summary>
public static class SealLifecycle
{
    private static readonly Dictionary<(SealState, SealAction), SealState> Table = new()
    {
        [(SealState.EngravingRequested, SealAction.Engrave)] = SealState.Engraved,
        [(SealState.EngravingRequested, SealAction.Revoke)] = SealState.Revoked,
        [(SealState.Engraved, SealAction.Activate)] = SealState.InUse,
        [(SealState.Engraved, SealAction.Revoke)] = SealState.Revoked,
        [(SealState.InUse, SealAction.Suspend)] = SealState.Suspended,
        [(SealState.InUse, SealAction.ReportLost)] = SealState.LostReported,
        [(SealState.InUse, SealAction.Revoke)] = SealState.Revoked,
        [(SealState.Suspended, SealAction.Resume)] = SealState.InUse,
        [(SealState.Suspended, SealAction.ReportLost)] = SealState.LostReported,
        [(SealState.Suspended, SealAction.Revoke)] = SealState.Revoked,
        [(SealState.LostReported, SealAction.PublishLoss)] = SealState.LostPublished,
        [(SealState.LostReported, SealAction.Recover)] = SealState.InUse,
        [(SealState.LostPublished, SealAction.Revoke)] = SealState.Revoked,
        [(SealState.Revoked, SealAction.Destroy)] = SealState.Destroyed,
    };

    /// <summary>The state after <paramref name="action"/>, or null when the action is not allowed in <paramref name="state"/>.</summary>
    public static SealState? Next(SealState state, SealAction action) => Table.TryGetValue((state, action), out SealState next) ? next : null;

    public static SealAction[] AllowedActions(SealState state) => Enum.GetValues<SealAction>().Where(a => Table.ContainsKey((state, a))).ToArray();

    /// <summary>Actions that take a seal out of normal use or end it must say why (it goes into the ledger).</summary>
    public static bool NeedsReason(SealAction action) => action is not (SealAction.Engrave or SealAction.Activate or SealAction.Resume);

    /// <summary>Seals in these states can still be used or handed over; the others are finished.</summary>
    public static bool IsFinished(SealState state) => state is SealState.Revoked or SealState.Destroyed;
}
