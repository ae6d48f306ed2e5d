using SmartSeal.Cloud.Applications;

namespace SmartSeal.Cloud.Tests.Governance;

/// <summary>The shape checks of a chain and the countersign rule, as pure functions.</summary>
public class ChainRulesTests
{
    private static StepDefinition Post(string name, int up) => new() { Name = name, Kind = StepKind.Post, Post = "负责人", Up = up };

    [Fact]
    public void A_chain_going_up_level_by_level_is_sound()
    {
        Assert.Empty(ChainRules.Check(new ChainDefinition { Name = "up", Steps = [Post("a", 0), Post("b", 1), Post("c", 2), Post("d", 3)] }));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("repeat")]
    [InlineData("down")]
    [InlineData("countersign-single")]
    [InlineData("no-post")]
    public void Unsound_chains_are_named_with_their_step(string kind)
    {
        var chain = new ChainDefinition
        {
            Name = "bad",
            Steps = kind switch
            {
                "empty" => [],
                "repeat" => [Post("a", 1), Post("b", 1)],
                "down" => [Post("a", 2), Post("b", 0)],
                "countersign-single" => [new StepDefinition { Name = "x", Kind = StepKind.Countersign, Post = "负责人", Departments = ["legal", "finance"], Mode = StepMode.Single }],
                _ => [new StepDefinition { Name = "x", Kind = StepKind.Post }],
            },
        };
        Dictionary<string, string[]> problems = ChainRules.Check(chain);
        string expected = kind switch { "empty" => "empty chain", "repeat" => "cyclic", "down" => "goes back down", "countersign-single" => "all-of or any-of", _ => "names the post" };
        Assert.Contains(expected, string.Join(" ", problems.SelectMany(p => p.Value)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_countersign_step_carries_when_every_department_signed_and_never_twice_by_one_person()
    {
        var step = new ApprovalStep("legal-and-finance", StepMode.AllOf, ["li", "wang"], [new StepPart("legal", ["li"]), new StepPart("finance", ["wang"])]);
        ApprovalState start = ApprovalState.Start([step]);
        RuleResult legal = ApprovalRules.Decide(start, "li", new HashSet<string> { "li", "wang" }, Decision.Approve, null, 1);
        Assert.Equal((RuleOutcome.Ok, ApplicationStatus.Pending), (legal.Outcome, legal.State!.Status));
        Assert.Equal("legal", legal.State.Votes.Single().Part);
        Assert.Equal(["wang"], legal.State.Holders);

        RuleResult twice = ApprovalRules.Decide(legal.State, "li", new HashSet<string> { "li", "wang" }, Decision.Approve, null, 2);
        Assert.Equal(RuleOutcome.Conflict, twice.Outcome);

        RuleResult finance = ApprovalRules.Decide(legal.State, "wang", new HashSet<string> { "wang" }, Decision.Approve, null, 3);
        Assert.Equal(ApplicationStatus.Approved, finance.State!.Status);
    }
}
