namespace SmartSeal.Cloud.Applications;

public enum RuleOutcome
{
    Ok,

    /// <summary>The caller has no right to this action (not an approver of the current step, not the applicant).</summary>
    Forbidden,

    /// <summary>The request itself is incomplete (a rejection or return without a reason).</summary>
    Invalid,

    /// <summary>The action does not fit the state (approving twice, deciding a closed application, a stale version).</summary>
    Conflict,
}

/// <summary>The result of applying an action to an <see cref="ApprovalState"/>: the new state or why not.</summary>
public sealed record RuleResult(RuleOutcome Outcome, ApprovalState? State, string? Error, bool BecameFinal = false)
{
    public static RuleResult Ok(ApprovalState state) => new(RuleOutcome.Ok, state, null, state.IsFinal);

    public static RuleResult Forbidden(string error) => new(RuleOutcome.Forbidden, null, error);

    public static RuleResult Conflict(string error) => new(RuleOutcome.Conflict, null, error);

    public static RuleResult Invalid(string error) => new(RuleOutcome.Invalid, null, error);
}

/// <summary>
/// The approval decision logic as pure functions over <see cref="ApprovalState"/>: no clock, no
/// storage. <c>actsFor</c> is the set of approvers the actor may act as (themself plus everyone
/// who delegated to them for this moment and unit); the caller resolves it.
/// </summary>
public static class ApprovalRules
{
    public static RuleResult Decide(ApprovalState state, string actor, IReadOnlySet<string> actsFor, Decision decision, string? comment, long atMs, long? expectedVersion = null,
        string? applicant = null)
    {
        if (expectedVersion is { } expected && expected != state.Version)
        {
            return RuleResult.Conflict($"the application changed (version {state.Version}, you read {expected}); reload and decide again");
        }

        if (state.Status != ApplicationStatus.Pending)
        {
            return RuleResult.Conflict($"the application is {Name(state.Status)}; nothing to decide");
        }

        if (decision != Decision.Approve && string.IsNullOrWhiteSpace(comment))
        {
            return RuleResult.Invalid("a rejection or a return needs a reason");
        }

        ApprovalStep step = state.Steps[state.CurrentStep];
        if (actor == applicant && step.Approvers.Any(actsFor.Contains))
        {
            // Routing never names the applicant; this stops them acting through a delegation or a step handed over.
            return RuleResult.Forbidden($"{actor} applied for this use and may not approve their own application");
        }

        if (step.IsCountersign)
        {
            return Countersign(state, step, actor, actsFor, decision, comment, atMs);
        }

        List<string> rights = step.Approvers.Where(actsFor.Contains).ToList();
        if (rights.Count == 0)
        {
            // Someone who approved an earlier step and tries again is repeating a decision, not overstepping a right.
            if (state.Votes.Any(v => v.Round == state.Round && (v.Actor == actor || actsFor.Contains(v.Approver))))
            {
                return RuleResult.Conflict($"{actor} already decided this application in this round");
            }

            return RuleResult.Forbidden($"{actor} is not an approver of step '{step.Name}'");
        }

        // The actor's own right first, then delegated ones; a right already used this round is spent.
        string? right = rights.OrderBy(a => a == actor ? 0 : 1).FirstOrDefault(a => !HasVoted(state, a));
        if (right is null)
        {
            return RuleResult.Conflict($"{actor} already decided step '{step.Name}'");
        }

        var vote = new Vote(state.Round, state.CurrentStep, right, actor, decision, comment, atMs);
        List<Vote> votes = [.. state.Votes, vote];
        ApprovalState next = state with { Votes = votes, Version = state.Version + 1 };
        return decision switch
        {
            Decision.Reject => RuleResult.Ok(next with { Status = ApplicationStatus.Rejected }),
            Decision.Return => RuleResult.Ok(next with { Status = ApplicationStatus.Returned }),
            _ => RuleResult.Ok(StepCarried(next, step) ? Advance(next) : next),
        };
    }

    /// <summary>The applicant takes the application back; possible until the final approval.</summary>
    public static RuleResult Withdraw(ApprovalState state, bool actorIsApplicant, long? expectedVersion = null)
    {
        if (!actorIsApplicant)
        {
            return RuleResult.Forbidden("only the applicant withdraws an application");
        }

        if (expectedVersion is { } expected && expected != state.Version)
        {
            return RuleResult.Conflict($"the application changed (version {state.Version}, you read {expected})");
        }

        if (state.Status is not (ApplicationStatus.Pending or ApplicationStatus.Returned))
        {
            return RuleResult.Conflict($"the application is {Name(state.Status)}; only a pending or returned application can be withdrawn");
        }

        return RuleResult.Ok(state with { Status = ApplicationStatus.Withdrawn, Version = state.Version + 1 });
    }

    /// <summary>The applicant resubmits a returned application: a new round from the first step (a fresh chain may be passed).</summary>
    public static RuleResult Resubmit(ApprovalState state, bool actorIsApplicant, IReadOnlyList<ApprovalStep>? steps = null)
    {
        if (!actorIsApplicant)
        {
            return RuleResult.Forbidden("only the applicant resubmits an application");
        }

        if (state.Status != ApplicationStatus.Returned)
        {
            return RuleResult.Conflict($"the application is {Name(state.Status)}; only a returned application can be resubmitted");
        }

        return RuleResult.Ok(state with
        {
            Status = ApplicationStatus.Pending, Round = state.Round + 1, CurrentStep = 0, Steps = steps ?? state.Steps, Version = state.Version + 1,
        });
    }

    /// <summary>会签: the actor signs for one department that has not signed yet; one person never signs a step twice (not even for two departments).</summary>
    private static RuleResult Countersign(ApprovalState state, ApprovalStep step, string actor, IReadOnlySet<string> actsFor, Decision decision, string? comment, long atMs)
    {
        if (state.Votes.Any(v => v.Round == state.Round && v.Step == state.CurrentStep && v.Actor == actor))
        {
            return RuleResult.Conflict($"{actor} already countersigned step '{step.Name}'; another department needs another person");
        }

        IReadOnlyList<StepPart> pending = state.PendingParts(state.CurrentStep);
        (StepPart Part, string Right)? choice = pending
            .SelectMany(p => p.Approvers.Where(actsFor.Contains).Select(a => (Part: p, Right: a)))
            .OrderBy(c => c.Right == actor ? 0 : 1)
            .Cast<(StepPart, string)?>()
            .FirstOrDefault();
        if (choice is not { } chosen)
        {
            return step.Parts!.Any(p => p.Approvers.Any(actsFor.Contains))
                ? RuleResult.Conflict($"the departments {actor} signs for have already signed step '{step.Name}'")
                : RuleResult.Forbidden($"{actor} signs for none of the departments of step '{step.Name}'");
        }

        var vote = new Vote(state.Round, state.CurrentStep, chosen.Right, actor, decision, comment, atMs, chosen.Part.UnitId);
        ApprovalState next = state with { Votes = [.. state.Votes, vote], Version = state.Version + 1 };
        bool carried = step.Mode != StepMode.AllOf || pending.Count == 1;
        return decision switch
        {
            Decision.Reject => RuleResult.Ok(next with { Status = ApplicationStatus.Rejected }),
            Decision.Return => RuleResult.Ok(next with { Status = ApplicationStatus.Returned }),
            _ => RuleResult.Ok(carried ? Advance(next) : next),
        };
    }

    public static string Name(ApplicationStatus status) => Seals.Kebab.Of(status);

    private static bool HasVoted(ApprovalState state, string approver) =>
        state.Votes.Any(v => v.Round == state.Round && v.Step == state.CurrentStep && v.Approver == approver);

    private static bool StepCarried(ApprovalState state, ApprovalStep step) => step.Mode switch
    {
        StepMode.AllOf => step.Approvers.All(a => HasVoted(state, a)),
        _ => true, // single and any-of: one approval carries the step
    };

    private static ApprovalState Advance(ApprovalState state) => state.CurrentStep + 1 < state.Steps.Count
        ? state with { CurrentStep = state.CurrentStep + 1 }
        : state with { Status = ApplicationStatus.Approved };
}
