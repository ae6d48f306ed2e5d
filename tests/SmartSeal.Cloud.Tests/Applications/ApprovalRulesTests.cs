using SmartSeal.Cloud.Applications;

namespace SmartSeal.Cloud.Tests.Applications;

/// <summary>The pure approval logic: every rule of the chain, without storage or clock.</summary>
public class ApprovalRulesTests
{
    private static readonly ApprovalStep Head = new("department-head", StepMode.Single, ["head"]);
    private static readonly ApprovalStep Owners = new("seal-owner", StepMode.AnyOf, ["owner1", "owner2"]);
    private static readonly ApprovalStep Board = new("board", StepMode.AllOf, ["b1", "b2"]);

    private static IReadOnlySet<string> As(params string[] logins) => new HashSet<string>(logins);

    private static ApprovalState Ok(RuleResult result)
    {
        Assert.True(result.Outcome == RuleOutcome.Ok, result.Error);
        return result.State!;
    }

    [Fact]
    public void Approving_every_step_approves_the_application()
    {
        ApprovalState state = ApprovalState.Start([Head, Owners]);
        state = Ok(ApprovalRules.Decide(state, "head", As("head"), Decision.Approve, null, 1));
        Assert.Equal((ApplicationStatus.Pending, 1), (state.Status, state.CurrentStep));
        Assert.Equal(["owner1", "owner2"], state.Holders);

        RuleResult last = ApprovalRules.Decide(state, "owner2", As("owner2"), Decision.Approve, "ok", 2);
        Assert.True(last.BecameFinal);
        Assert.Equal(ApplicationStatus.Approved, last.State!.Status);
        Assert.Empty(last.State.Holders);
        Assert.Equal(3, last.State.Version);
    }

    [Fact]
    public void All_of_needs_every_approver_and_any_of_one()
    {
        ApprovalState state = ApprovalState.Start([Board, Owners]);
        state = Ok(ApprovalRules.Decide(state, "b1", As("b1"), Decision.Approve, null, 1));
        Assert.Equal(0, state.CurrentStep);
        Assert.Equal(["b2"], state.Holders);
        state = Ok(ApprovalRules.Decide(state, "b2", As("b2"), Decision.Approve, null, 2));
        Assert.Equal(1, state.CurrentStep);
        state = Ok(ApprovalRules.Decide(state, "owner1", As("owner1"), Decision.Approve, null, 3));
        Assert.Equal(ApplicationStatus.Approved, state.Status);
    }

    [Fact]
    public void A_rejection_with_a_reason_ends_the_application_and_needs_the_reason()
    {
        ApprovalState state = ApprovalState.Start([Head, Owners]);
        Assert.Equal(RuleOutcome.Invalid, ApprovalRules.Decide(state, "head", As("head"), Decision.Reject, " ", 1).Outcome);
        Assert.Equal(RuleOutcome.Invalid, ApprovalRules.Decide(state, "head", As("head"), Decision.Return, null, 1).Outcome);
        RuleResult rejected = ApprovalRules.Decide(state, "head", As("head"), Decision.Reject, "wrong contract", 1);
        Assert.Equal(ApplicationStatus.Rejected, rejected.State!.Status);
        Assert.True(rejected.BecameFinal);
        Assert.Equal("wrong contract", rejected.State.Votes.Single().Comment);
        Assert.Equal(RuleOutcome.Conflict, ApprovalRules.Decide(rejected.State, "head", As("head"), Decision.Approve, null, 2).Outcome);
    }

    [Fact]
    public void A_return_goes_back_to_the_applicant_who_resubmits_into_a_new_round_from_the_first_step()
    {
        ApprovalState state = ApprovalState.Start([Head, Owners]);
        state = Ok(ApprovalRules.Decide(state, "head", As("head"), Decision.Approve, null, 1));
        state = Ok(ApprovalRules.Decide(state, "owner1", As("owner1"), Decision.Return, "attach page 2", 2));
        Assert.Equal(ApplicationStatus.Returned, state.Status);
        Assert.False(state.IsFinal);
        Assert.Equal(RuleOutcome.Conflict, ApprovalRules.Decide(state, "owner2", As("owner2"), Decision.Approve, null, 3).Outcome);
        Assert.Equal(RuleOutcome.Forbidden, ApprovalRules.Resubmit(state, actorIsApplicant: false).Outcome);

        state = Ok(ApprovalRules.Resubmit(state, actorIsApplicant: true));
        Assert.Equal((ApplicationStatus.Pending, 2, 0), (state.Status, state.Round, state.CurrentStep));
        Assert.Equal(["head"], state.Holders); // the head decides again in the new round
        state = Ok(ApprovalRules.Decide(state, "head", As("head"), Decision.Approve, null, 4));
        state = Ok(ApprovalRules.Decide(state, "owner1", As("owner1"), Decision.Approve, null, 5));
        Assert.Equal(ApplicationStatus.Approved, state.Status);
        Assert.Equal(4, state.Votes.Count);
        Assert.Equal(RuleOutcome.Conflict, ApprovalRules.Resubmit(state, actorIsApplicant: true).Outcome);
    }

    [Fact]
    public void Only_the_applicant_withdraws_and_only_before_the_final_approval()
    {
        ApprovalState state = ApprovalState.Start([Head]);
        Assert.Equal(RuleOutcome.Forbidden, ApprovalRules.Withdraw(state, actorIsApplicant: false).Outcome);
        RuleResult withdrawn = ApprovalRules.Withdraw(state, actorIsApplicant: true);
        Assert.Equal(ApplicationStatus.Withdrawn, withdrawn.State!.Status);
        Assert.True(withdrawn.BecameFinal);
        Assert.Equal(RuleOutcome.Conflict, ApprovalRules.Decide(withdrawn.State, "head", As("head"), Decision.Approve, null, 1).Outcome);

        ApprovalState approved = Ok(ApprovalRules.Decide(state, "head", As("head"), Decision.Approve, null, 1));
        Assert.Equal(RuleOutcome.Conflict, ApprovalRules.Withdraw(approved, actorIsApplicant: true).Outcome);

        ApprovalState returned = Ok(ApprovalRules.Decide(state, "head", As("head"), Decision.Return, "fix", 1));
        Assert.Equal(ApplicationStatus.Withdrawn, Ok(ApprovalRules.Withdraw(returned, actorIsApplicant: true)).Status);
    }

    [Fact]
    public void Approving_twice_is_refused_as_a_conflict()
    {
        ApprovalState state = ApprovalState.Start([Board]);
        state = Ok(ApprovalRules.Decide(state, "b1", As("b1"), Decision.Approve, null, 1));
        RuleResult again = ApprovalRules.Decide(state, "b1", As("b1"), Decision.Approve, null, 2);
        Assert.Equal(RuleOutcome.Conflict, again.Outcome);
        Assert.Contains("already decided", again.Error, StringComparison.Ordinal);

        // Approving again after the step moved on is the same mistake, not a missing right.
        ApprovalState moved = Ok(ApprovalRules.Decide(ApprovalState.Start([Head, Owners]), "head", As("head"), Decision.Approve, null, 1));
        Assert.Equal(RuleOutcome.Conflict, ApprovalRules.Decide(moved, "head", As("head"), Decision.Approve, null, 2).Outcome);
    }

    [Fact]
    public void Someone_who_is_not_an_approver_of_the_current_step_is_forbidden()
    {
        ApprovalState state = ApprovalState.Start([Head, Owners]);
        Assert.Equal(RuleOutcome.Forbidden, ApprovalRules.Decide(state, "owner1", As("owner1"), Decision.Approve, null, 1).Outcome); // not yet their step
        Assert.Equal(RuleOutcome.Forbidden, ApprovalRules.Decide(state, "stranger", As("stranger"), Decision.Reject, "no", 1).Outcome);
    }

    [Fact]
    public void A_delegate_acts_for_the_delegator_and_the_right_is_spent_once()
    {
        ApprovalState state = ApprovalState.Start([Board]);
        state = Ok(ApprovalRules.Decide(state, "deputy", As("deputy", "b1"), Decision.Approve, null, 1));
        Vote vote = state.Votes.Single();
        Assert.Equal(("b1", "deputy"), (vote.Approver, vote.Actor));
        Assert.Equal(RuleOutcome.Conflict, ApprovalRules.Decide(state, "b1", As("b1"), Decision.Approve, null, 2).Outcome);
        state = Ok(ApprovalRules.Decide(state, "b2", As("b2"), Decision.Approve, null, 3));
        Assert.Equal(ApplicationStatus.Approved, state.Status);
    }

    [Fact]
    public void A_decision_on_a_stale_version_is_a_conflict_so_the_second_of_two_concurrent_approvers_loses()
    {
        ApprovalState read = ApprovalState.Start([Owners]);
        ApprovalState first = Ok(ApprovalRules.Decide(read, "owner1", As("owner1"), Decision.Approve, null, 1, expectedVersion: read.Version));
        RuleResult second = ApprovalRules.Decide(first, "owner2", As("owner2"), Decision.Approve, null, 1, expectedVersion: read.Version);
        Assert.Equal(RuleOutcome.Conflict, second.Outcome);
        Assert.Contains("changed", second.Error, StringComparison.Ordinal);
    }
}
