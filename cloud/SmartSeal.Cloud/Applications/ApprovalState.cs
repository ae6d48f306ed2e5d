namespace SmartSeal.Cloud.Applications;

/// <summary>How the approvers of one step decide.</summary>
public enum StepMode
{
    /// <summary>One named approver decides.</summary>
    Single,

    /// <summary>或签: the first approval of any approver carries the step.</summary>
    AnyOf,

    /// <summary>会签: every approver must approve.</summary>
    AllOf,
}

public enum ApplicationStatus
{
    Pending,
    Approved,
    Rejected,
    Returned,
    Withdrawn,
}

public enum Decision
{
    Approve,
    Reject,
    Return,
}

/// <summary>
/// One step of a resolved chain: who may decide it and how. <see cref="Post"/>/<see cref="Roles"/> and
/// <see cref="UnitId"/> say where the approvers were found (so a step re-routes when one of them moves,
/// and escalates one level higher); <see cref="Parts"/> are the departments of a countersign (会签) step;
/// <see cref="Notes"/> record how routing got there (a vacant post, an escalation); <see cref="EscalateTo"/> is who an overdue step goes to
/// (null: the same post or role one level higher), <see cref="Escalated"/> who joined it by escalation (they hold no post there).
/// </summary>
public sealed record ApprovalStep(string Name, StepMode Mode, IReadOnlyList<string> Approvers,
    IReadOnlyList<StepPart>? Parts = null, string? Post = null, IReadOnlyList<string>? Roles = null, string? UnitId = null, IReadOnlyList<string>? Notes = null,
    string? EscalateTo = null, IReadOnlyList<string>? Escalated = null)
{
    /// <summary>Whether the departments of this countersign step have signed: all of them (all-of) or one (any-of).</summary>
    public bool IsCountersign => Parts is { Count: > 0 };
}

/// <summary>One department of a countersign step and who may sign for it.</summary>
public sealed record StepPart(string UnitId, IReadOnlyList<string> Approvers);

/// <summary>
/// A decision cast in a round: <see cref="Approver"/> is the approver whose right was used,
/// <see cref="Actor"/> the person who acted (a delegate acting for the approver, or the approver);
/// <see cref="Part"/> the department a countersign vote signed for.
/// </summary>
public sealed record Vote(int Round, int Step, string Approver, string Actor, Decision Decision, string? Comment, long AtMs, string? Part = null);

/// <summary>
/// The whole approval state of an application: the resolved chain, the votes of every round and a
/// version that every change increments (the store writes only if the version it read is still current).
/// Each resubmission after a return starts a new round at step 0.
/// </summary>
public sealed record ApprovalState(ApplicationStatus Status, int Round, int CurrentStep, IReadOnlyList<ApprovalStep> Steps, IReadOnlyList<Vote> Votes, long Version)
{
    public static ApprovalState Start(IReadOnlyList<ApprovalStep> steps) => new(ApplicationStatus.Pending, 1, 0, steps, [], 1);

    public bool IsFinal => Status is ApplicationStatus.Approved or ApplicationStatus.Rejected or ApplicationStatus.Withdrawn;

    /// <summary>Approvers of the current step who have not yet voted in this round (who holds the application now).</summary>
    public IReadOnlyList<string> Holders => Status != ApplicationStatus.Pending
        ? []
        : Steps[CurrentStep].IsCountersign
            ? PendingParts(CurrentStep).SelectMany(p => p.Approvers).Distinct(StringComparer.Ordinal)
                .Where(a => !Votes.Any(v => v.Round == Round && v.Step == CurrentStep && (v.Approver == a || v.Actor == a))).ToList()
            : Steps[CurrentStep].Approvers.Where(a => !Votes.Any(v => v.Round == Round && v.Step == CurrentStep && v.Approver == a)).ToList();

    /// <summary>The departments of a countersign step that have not signed in this round.</summary>
    public IReadOnlyList<StepPart> PendingParts(int step)
    {
        IReadOnlySet<string> signed = SignedParts(step);
        return (Steps[step].Parts ?? []).Where(p => !signed.Contains(p.UnitId)).ToList();
    }

    /// <summary>Departments that have signed step <paramref name="step"/> in the current round.</summary>
    public IReadOnlySet<string> SignedParts(int step) =>
        Votes.Where(v => v.Round == Round && v.Step == step && v.Part is not null && v.Decision == Decision.Approve).Select(v => v.Part!).ToHashSet(StringComparer.Ordinal);
}
