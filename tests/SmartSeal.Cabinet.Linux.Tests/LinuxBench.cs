using SmartSeal.Cabinet.Linux.Configuration;
using SmartSeal.Cabinet.Linux.Hardware;
using SmartSeal.Cabinet.Linux.Tests.Fakes;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Device;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Firmware.Storage;
using SmartSeal.Firmware.Tests;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Tokens;

namespace SmartSeal.Cabinet.Linux.Tests;

/// <summary>
/// The real <see cref="CabinetController"/> on the Linux hardware layer (<see cref="LinuxCabinetBoard"/>)
/// over in-memory buses, driven by signed cloud commands like the firmware tests drive it.
/// </summary>
internal sealed class LinuxBench : IDisposable
{
    public const string DeviceId = "cab-pi-01";
    private const long Now = 1_800_000_000_000;
    private static readonly byte[] Master = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Key = DeviceKeys.Derive(Master, DeviceId, 1);

    public readonly FakeBuses Buses = new();
    public readonly FakeCloudLink Link = new();
    public readonly FakeClock Clock = new(Now);
    public readonly TestCloud Cloud;
    public readonly LinuxCabinetBoard Board;
    public readonly CabinetController Controller;

    /// <param name="prepare">Wires the world before the board opens (cards in readers, doors shut).</param>
    public LinuxBench(string configJson, Action<FakeBuses>? prepare = null)
    {
        prepare?.Invoke(Buses);
        Cloud = new TestCloud(DeviceId, Key, Clock, Link);
        Board = new LinuxCabinetBoard(CabinetConfig.Parse(configJson), Buses);
        var flash = new FakePersistentStore(1 << 22);
        var identity = new DeviceIdentity(DeviceId, Key, 1);
        var queue = new OfflineQueue(flash, 512, 64);
        queue.Load();
        var hardware = new CabinetHardware
        {
            Compartments = Board.Compartments, Camera = new FakeCamera(), Indicator = Board.Indicator, Tamper = Board.Tamper,
            Clock = Clock, Link = Link, Flash = flash,
        };
        Controller = new CabinetController(identity, hardware, new CompartmentSettings(), new Outbox(identity, queue, Link, Clock), new CommandInbox(identity, flash, Clock, 5_000));
        Controller.Boot("test", "power-on", 1);
        Link.SetConnected(true);
    }

    /// <summary>Lets the host loop sample the inputs for <paramref name="ms"/> at its 10 ms pace (long enough to debounce at 30 ms).</summary>
    public void Run(int ms = 50)
    {
        for (int elapsed = 0; elapsed <= ms; elapsed += 10)
        {
            Board.Poll(Clock.UptimeMs);
            Clock.Advance(10);
        }

        Controller.Tick();
    }

    public string Dispense(int compartment, string seal, string expectedTag) => Cloud.Send(new DispenseBody
    {
        Compartment = compartment, SealId = seal, ExpectedTag = expectedTag,
        Token = UseTokenWriter.Write(new UseToken
        {
            Id = "ctok-" + compartment, Audience = DeviceId, Subject = "user-li.na", IssuedAt = Clock.UtcNowMs / 1000 - 5, NotBefore = Clock.UtcNowMs / 1000 - 5, Expires = Clock.UtcNowMs / 1000 + 120,
            SealId = seal, ApplicationId = "app-9", Uses = 1, Mode = UseToken.ModeCabinet, Compartment = compartment, Documents = [],
        }, Key, "v1"),
    });

    public CompartmentState State(int compartment) => Controller.Compartments[compartment - 1];

    public CommandResultBody Result(string commandId) => Cloud.Bodies<CommandResultBody>().Single(r => r.CommandId == commandId);

    public void Dispose()
    {
        Controller.Stop();
        Board.Dispose();
    }
}
