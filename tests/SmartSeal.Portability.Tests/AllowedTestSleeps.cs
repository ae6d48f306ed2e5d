namespace SmartSeal.Portability.Tests;

/// <summary>
/// The wall-clock sleeps that stay in tests/, each with why. None passes time for product logic
/// (that is <c>FakeTimeProvider</c>.Advance or a now passed as an argument); they are poll
/// intervals of the one wait helper per project, the pace of a simulated device or person, faults
/// that must last on real processes, and absence windows (something must <i>not</i> happen and no
/// signal marks that it did not). <see cref="TestSleepTests"/> fails on any sleep not listed here.
/// A snippet leaves out the <c>Task.</c> or <c>Thread.</c> before the call, so this list is no sleep itself.
/// </summary>
public static class AllowedTestSleeps
{
    private const string Cloud = "tests/SmartSeal.Cloud.Tests/";
    private const string EndToEnd = "tests/SmartSeal.EndToEnd.Tests/";

    public static readonly IReadOnlyList<AllowedSleep> All =
    [
        // Poll intervals: the wait helpers poll a real condition; their timeout only bounds a failure.
        new(Cloud + "Infrastructure/Eventually.cs", "Delay(20)", "poll interval of the project's one wait helper"),
        new("tests/SmartSeal.Simulators.Tests/Eventually.cs", "Delay(10)", "poll interval of the project's one wait helper"),
        new(Cloud + "Photos/AzuriteServer.cs", "Delay(100)", "poll interval: Azurite, a separate process, is starting"),
        new(Cloud + "ScaleOut/ExternalBrokerTests.cs", "Delay(100)", "poll interval: Mosquitto reloads its password file on its own schedule"),
        new(EndToEnd + "Infrastructure/CloudProcess.cs", "Delay(100)", "poll interval: the cloud process is starting"),
        new(EndToEnd + "Infrastructure/PrivateMosquitto.cs", "Delay(50)", "poll interval: the mosquitto process is starting"),
        new("tests/SmartSeal.Firmware.Tests/Link/IotHub/IotHubMqttBroker.cs", "Delay(timeout)", "the bound of a wait for an answer (WhenAny), not a sleep"),

        // Pace: a device's main loop between steps, or people and devices generating load.
        new(Cloud + "Infrastructure/DeviceLoop.cs", "Sleep(5)", "the firmware main loop's pace between steps"),
        new("tests/SmartSeal.Simulators.Tests/DeviceControlTests.cs", "Sleep(10)", "the firmware main loop's pace between steps"),
        new("tests/SmartSeal.Cabinet.Linux.Tests/LinuxCabinetHostTests.cs", "Delay(10)", "the Linux host loop's pace between steps while the broker and harness cloud answer on real threads"),
        new("tests/SmartSeal.Firmware.Tests/Link/IotHub/IotHubBrokerTests.cs", "Sleep(5)", "the device loop's pace while the hub's broker answers on real threads"),
        new(Cloud + "ScaleOut/ExternalBrokerTests.cs", "Delay(pauseMs)", "pacing: devices keep sending while an instance stops"),
        new(Cloud + "ScaleOut/ExternalBrokerTests.cs", "Delay(500)", "pacing: the simulated outbox's resend period"),
        new(EndToEnd + "Infrastructure/OutboxDevice.cs", "Delay(250)", "pacing: the simulated outbox's resend period"),
        new(EndToEnd + "Infrastructure/Mission.cs", "Delay(10, CancellationToken.None)", "load generator: up to a second for the bolt, else press again"),
        new(EndToEnd + "Infrastructure/Mission.cs", "Delay(150, CancellationToken.None)", "pacing: a person stamps a page at a time"),
        new(EndToEnd + "ScaleOut/ThousandLocksScaleOutTests.cs", "Delay(150, CancellationToken.None)", "pacing: a person stamps a page at a time"),
        new(EndToEnd + "ScaleOut/ThousandLocksScaleOutTests.cs", "Delay(Random.Shared.Next(200, 600)", "pacing: each simulated lock stamps at a human pace"),
        new(EndToEnd + "ScaleOut/ThousandLocksScaleOutTests.cs", "Delay(800)", "pacing: the fleet is mid-stamp when an instance is killed"),
        new(EndToEnd + "Attacks/TokenAndCommandFuzzTests.cs", "Delay(20)", "pacing: the fuzzer lets the device's loop keep up, as a real radio would"),

        // Faults that must last on real processes, and the power-cut sweep.
        new(EndToEnd + "Faults/BrokerRestartTests.cs", "Delay(3_000)", "fault: a real Mosquitto stays down while the lock stamps on"),
        new(EndToEnd + "Faults/DatabaseRestartTests.cs", "Delay(4_000)", "fault: a real PostgreSQL stays down past several ingest retries"),
        new(EndToEnd + "Faults/DatabaseRestartTests.cs", "Delay(700)", "fault: the case is held open a while during the database outage"),
        new(EndToEnd + "Faults/DeviceFaultTests.cs", "Delay(300)", "power-cut sweep: the flow may stop at any flash write, so no one state to await", Count: 2),

        // Absence windows: something must not happen, and nothing signals that it did not.
        new(Cloud + "Commands/CommandTests.cs", "Delay(300)", "absence window: no command follows a bare connection"),
        new(Cloud + "Commands/CommandTests.cs", "Delay(500)", "absence window: a second online report sends nothing again (after the report was ingested)"),
        new(Cloud + "ScaleOut/ExternalBrokerTests.cs", "Delay(200)", "absence window: Mosquitto does not order messages across clients"),
        new(EndToEnd + "Faults/DeviceFaultTests.cs", "Delay(2_000)", "absence window: nothing trickles through while the lock's network is down"),
        new(EndToEnd + "Attacks/KestrelAttackTests.cs", "Delay(200)", "absence window: no error logged after the attack requests"),
        new(EndToEnd + "Attacks/BrokerAttackTests.cs", "Delay(500)", "absence window: no retained fake state after reconnecting"),
        new(EndToEnd + "Attacks/DeviceAttackTests.cs", "Delay(300)", "absence window: replays of a captured stamp change nothing"),
        new(EndToEnd + "Attacks/TokenAndCommandFuzzTests.cs", "Delay(1_000)", "absence window: the last hostile messages change nothing"),

        // Not a call: source text of a planted nanoFramework violation.
        new("tests/SmartSeal.Portability.Tests/PlantedViolationTests.cs", "Delay(1)", "source text the portability check must reject; never runs"),
    ];
}
