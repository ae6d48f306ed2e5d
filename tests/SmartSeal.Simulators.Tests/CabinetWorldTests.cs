using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Simulators.Tests;

/// <summary>The physical side of a simulated cabinet outlives the simulator process, as a real cabinet's seals outlive a power cut.</summary>
public class CabinetWorldTests
{
    [Fact]
    public void Seals_put_in_the_compartments_are_still_there_when_the_simulator_starts_again()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("smartseal-tags-").FullName, "cab-world-01.tags");
        SimulatedCabinet First() => new(DeviceProvisioning.FromMaster(DeviceProvisioning.DemoMasterKey, "cab-world-01"), new DeviceHostOptions
        {
            Broker = new BrokerEndpoint("127.0.0.1", 1), Clock = new HostClock(), Flash = new FakePersistentStore(1 << 16), Traffic = new TrafficCounters(), Log = new SimLog(),
        }, compartments: 3);

        SimulatedCabinet before = First();
        before.KeepTagsIn(file);
        before.SetTag(1, "E28011700000020A1B2C3D01");
        before.SetTag(3, "E28011700000020A1B2C3D02");
        before.SetTag(3, string.Empty); // taken out again

        SimulatedCabinet after = First();
        Assert.Equal(TagReading.None, after.Readers[0].Present); // nothing kept without the file
        after.KeepTagsIn(file);
        Assert.Equal("E28011700000020A1B2C3D01", after.Readers[0].Present);
        Assert.Equal(TagReading.None, after.Readers[1].Present);
        Assert.Equal(TagReading.None, after.Readers[2].Present);
        File.Delete(file);
    }
}
