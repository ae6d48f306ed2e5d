using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Tests.Seals;

/// <summary>The lifecycle table, pair by pair: every (state, action) is either in the expected list below or refused.</summary>
public class SealLifecycleTests
{
    /// <summary>The lifecycle as the seal office describes it, written out independently of the table in the code.</summary>
    private static readonly (SealState From, SealAction Action, SealState To)[] Allowed =
    [
        (SealState.EngravingRequested, SealAction.Engrave, SealState.Engraved),
        (SealState.EngravingRequested, SealAction.Revoke, SealState.Revoked),
        (SealState.Engraved, SealAction.Activate, SealState.InUse),
        (SealState.Engraved, SealAction.Revoke, SealState.Revoked),
        (SealState.InUse, SealAction.Suspend, SealState.Suspended),
        (SealState.InUse, SealAction.ReportLost, SealState.LostReported),
        (SealState.InUse, SealAction.Revoke, SealState.Revoked),
        (SealState.Suspended, SealAction.Resume, SealState.InUse),
        (SealState.Suspended, SealAction.ReportLost, SealState.LostReported),
        (SealState.Suspended, SealAction.Revoke, SealState.Revoked),
        (SealState.LostReported, SealAction.PublishLoss, SealState.LostPublished),
        (SealState.LostReported, SealAction.Recover, SealState.InUse),
        (SealState.LostPublished, SealAction.Revoke, SealState.Revoked),
        (SealState.Revoked, SealAction.Destroy, SealState.Destroyed),
    ];

    public static TheoryData<SealState, SealAction> EveryPair()
    {
        var data = new TheoryData<SealState, SealAction>();
        foreach (SealState state in Enum.GetValues<SealState>())
        {
            foreach (SealAction action in Enum.GetValues<SealAction>())
            {
                data.Add(state, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Every_state_and_action_pair_is_allowed_exactly_as_listed(SealState state, SealAction action)
    {
        SealState? expected = Allowed.Where(t => t.From == state && t.Action == action).Select(t => (SealState?)t.To).SingleOrDefault();
        Assert.Equal(expected, SealLifecycle.Next(state, action));
        Assert.Equal(expected is not null, SealLifecycle.AllowedActions(state).Contains(action));
    }

    [Fact]
    public void Destroyed_is_final_and_every_other_state_can_reach_it()
    {
        Assert.Empty(SealLifecycle.AllowedActions(SealState.Destroyed));
        foreach (SealState start in Enum.GetValues<SealState>().Where(s => s != SealState.Destroyed))
        {
            var seen = new HashSet<SealState> { start };
            var frontier = new Queue<SealState>([start]);
            while (frontier.TryDequeue(out SealState state))
            {
                foreach (SealAction action in SealLifecycle.AllowedActions(state))
                {
                    if (seen.Add(SealLifecycle.Next(state, action)!.Value))
                    {
                        frontier.Enqueue(SealLifecycle.Next(state, action)!.Value);
                    }
                }
            }

            Assert.Contains(SealState.Destroyed, seen);
        }
    }

    [Theory]
    [InlineData("e2:80:11:aa", "E28011AA")]
    [InlineData("  e28011aa00ff  ", "E28011AA00FF")]
    [InlineData("E2801", null)]
    [InlineData("E28011AZ", null)]
    [InlineData("E28011AA0", null)]
    [InlineData(null, null)]
    public void Tags_are_normalised_to_upper_case_hex(string? input, string? expected) => Assert.Equal(expected, SealRegistry.NormaliseTag(input));
}
