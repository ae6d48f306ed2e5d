namespace SmartSeal.Simulators.Devices;

/// <summary>What the terminal view and the scenario summary show of one device at one moment.</summary>
public sealed record DeviceSnapshot(
    string DeviceId,
    DeviceKind Kind,
    bool PoweredOn,
    string Mode,
    string LinkPhase,
    string Actuators,
    int? Remaining,
    int PendingOutbox,
    long BootCount,
    IReadOnlyList<string> LastEvents,
    IReadOnlyList<string> LastRefusals,
    IReadOnlyList<string> ActiveAlarms);
