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

/// <summary>One step of a resolved chain: who may decide it and how.</summary>
public sealed record ApprovalStep(string Name, StepMode Mode, IReadOnlyList<string> Approvers);

/// <summary>
/// A decision cast in a round: <see cref="Approver"/> is the approver whose right was used,
/// <see cref="Actor"/> the person who acted (a delegate acting for the approver, or the approver).
/// </summary>
public sealed record Vote(int Round, int Step, string Approver, string Actor, Decision Decision, string? Comment, long AtMs);

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
        : Steps[CurrentStep].Approvers.Where(a => !Votes.Any(v => v.Round == Round && v.Step == CurrentStep && v.Approver == a)).ToList();
}
