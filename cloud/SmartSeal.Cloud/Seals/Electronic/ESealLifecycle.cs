namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>Whether a register entry is a metal seal, a key, or both (物电一体化).</summary>
public enum SealForm
{
    Physical,
    Electronic,

    /// <summary>The electronic twin of a physical seal: same register row, so same name, unit, type, level and keeper.</summary>
    Both,
}

public enum ESealState
{
    /// <summary>申请制作: asked for, no key or certificate yet.</summary>
    Requested,

    /// <summary>Key generated on the token, certificate issued; not yet filed.</summary>
    Made,

    /// <summary>备案: filed and usable for sealing.</summary>
    Recorded,

    /// <summary>冻结: temporarily unusable; the certificate stays valid.</summary>
    Frozen,

    /// <summary>注销: the certificate is revoked (CRL) and the seal can never sign again.</summary>
    Revoked,
}

public enum ESealAction
{
    Make,
    Record,

    /// <summary>变更: a new key and certificate replace the current ones (the old certificate is revoked).</summary>
    Change,
    Freeze,
    Unfreeze,
    Revoke,
}

/// <summary>
/// The e-seal lifecycle as one table: requested → made → recorded ⇄ frozen → revoked; change
/// (new certificate) keeps the state; revoke ends it from anywhere but revoked.
/// </summary>
public static class ESealLifecycle
{
    private static readonly Dictionary<(ESealState, ESealAction), ESealState> Table = new()
    {
        [(ESealState.Requested, ESealAction.Make)] = ESealState.Made,
        [(ESealState.Requested, ESealAction.Revoke)] = ESealState.Revoked,
        [(ESealState.Made, ESealAction.Record)] = ESealState.Recorded,
        [(ESealState.Made, ESealAction.Change)] = ESealState.Made,
        [(ESealState.Made, ESealAction.Revoke)] = ESealState.Revoked,
        [(ESealState.Recorded, ESealAction.Change)] = ESealState.Recorded,
        [(ESealState.Recorded, ESealAction.Freeze)] = ESealState.Frozen,
        [(ESealState.Recorded, ESealAction.Revoke)] = ESealState.Revoked,
        [(ESealState.Frozen, ESealAction.Unfreeze)] = ESealState.Recorded,
        [(ESealState.Frozen, ESealAction.Change)] = ESealState.Frozen,
        [(ESealState.Frozen, ESealAction.Revoke)] = ESealState.Revoked,
    };

    public static ESealState? Next(ESealState state, ESealAction action) => Table.TryGetValue((state, action), out ESealState next) ? next : null;

    public static ESealAction[] AllowedActions(ESealState state) => Enum.GetValues<ESealAction>().Where(a => Table.ContainsKey((state, a))).ToArray();

    /// <summary>Actions that stop or replace the seal must say why (it goes into the ledger).</summary>
    public static bool NeedsReason(ESealAction action) => action is ESealAction.Change or ESealAction.Freeze or ESealAction.Revoke;

    /// <summary>Actions that put a new key and certificate on the seal.</summary>
    public static bool IssuesCertificate(ESealAction action) => action is ESealAction.Make or ESealAction.Change;

    /// <summary>Only a recorded e-seal may seal documents.</summary>
    public static bool CanSeal(ESealState state) => state == ESealState.Recorded;
}
