using SmartSeal.Simulators.Host;

namespace SmartSeal.Simulators.Fleet;

public sealed class FleetOptions
{
    public required string Broker { get; init; }

    public required byte[] MasterKey { get; init; }

    public int Count { get; init; } = 100;

    public double DurationSeconds { get; init; } = 60;

    public int Threads { get; init; } = 2;

    public string? StateDir { get; init; }

    public bool Tui { get; init; }

    public required SimLog Log { get; init; }
}
