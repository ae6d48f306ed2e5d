using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.Tests.Security;

public class CommandReplayGuardTests
{
    private const long Now = 1_800_000_000_000;

    private static Envelope Command(long counter, long issued = Now, long lifetime = 60_000, string id = "cmd-1") =>
        new() { DeviceId = "lock-0001", Seq = counter, Time = issued, Expires = issued + lifetime, Type = "set-state", Id = id };

    private static ProtocolError Accept(CommandReplayGuard guard, Envelope command, long now = Now)
    {
        ProtocolError error = guard.Check(command, now);
        if (error == ProtocolError.None)
        {
            guard.Commit(command.Seq);
        }

        return error;
    }

    [Fact]
    public void Each_counter_is_accepted_once()
    {
        var guard = new CommandReplayGuard(0, 0, 5_000);
        Assert.Equal(ProtocolError.None, Accept(guard, Command(1)));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(guard, Command(1)));
        Assert.Equal(ProtocolError.None, Accept(guard, Command(2)));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(guard, Command(1)));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(guard, Command(0)));
        Assert.Equal(2, guard.Highest);
    }

    [Fact]
    public void Reordered_counters_inside_the_window_are_accepted_once()
    {
        var guard = new CommandReplayGuard(0, 0, 5_000);
        Assert.Equal(ProtocolError.None, Accept(guard, Command(10)));
        Assert.Equal(ProtocolError.None, Accept(guard, Command(8)));
        Assert.Equal(ProtocolError.None, Accept(guard, Command(9)));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(guard, Command(8)));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(guard, Command(9)));
        Assert.Equal(ProtocolError.None, Accept(guard, Command(74)));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(guard, Command(10))); // now 64 behind: outside the window
        Assert.Equal(ProtocolError.None, Accept(guard, Command(11)));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(guard, Command(11)));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    public void Large_jumps_keep_exactly_the_remembered_counters(int jump)
    {
        var guard = new CommandReplayGuard(0, 0, 5_000);
        Assert.Equal(ProtocolError.None, Accept(guard, Command(5)));
        Assert.Equal(ProtocolError.None, Accept(guard, Command(5 + jump)));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(guard, Command(5)));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(guard, Command(5 + jump)));
        ProtocolError previous = Accept(guard, Command(4 + jump));
        Assert.Equal(jump == 1 ? ProtocolError.CommandReplayed : ProtocolError.None, previous);
    }

    [Fact]
    public void State_survives_a_restart_through_its_persisted_fields()
    {
        var guard = new CommandReplayGuard(0, 0, 5_000);
        Accept(guard, Command(3));
        Accept(guard, Command(5));
        var restarted = new CommandReplayGuard(guard.Highest, guard.WindowBits, 5_000);
        Assert.Equal(ProtocolError.CommandReplayed, Accept(restarted, Command(3)));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(restarted, Command(5)));
        Assert.Equal(ProtocolError.None, Accept(restarted, Command(4)));
    }

    [Fact]
    public void Time_rules_are_enforced_with_skew()
    {
        var guard = new CommandReplayGuard(0, 0, 5_000);
        Assert.Equal(ProtocolError.CommandExpired, guard.Check(Command(1, issued: Now - 120_000), Now));
        Assert.Equal(ProtocolError.None, guard.Check(Command(1, issued: Now - 64_000), Now)); // expired 4 s ago, within skew
        Assert.Equal(ProtocolError.CommandNotYetValid, guard.Check(Command(1, issued: Now + 6_000), Now));
        Assert.Equal(ProtocolError.None, guard.Check(Command(1, issued: Now + 4_000), Now));
        Assert.Equal(ProtocolError.CommandLifetimeTooLong, guard.Check(Command(1, lifetime: CommandReplayGuard.MaxLifetimeMs + 1), Now));
        Assert.Equal(ProtocolError.CommandMissingExpiry, guard.Check(new Envelope { Seq = 1, Time = Now, Id = "x" }, Now));
        Assert.Equal(ProtocolError.EnvelopeBadId, guard.Check(Command(1, id: ""), Now));
    }

    [Fact]
    public void Without_a_clock_only_the_counter_protects()
    {
        var guard = new CommandReplayGuard(0, 0, 5_000);
        Assert.Equal(ProtocolError.None, Accept(guard, Command(1, issued: Now - 10_000_000), now: 0));
        Assert.Equal(ProtocolError.CommandReplayed, Accept(guard, Command(1), now: 0));
    }
}
