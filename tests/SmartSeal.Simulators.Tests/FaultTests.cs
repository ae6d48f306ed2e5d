using SmartSeal.Simulators.Cloud;
using SmartSeal.Simulators.Devices;
using SmartSeal.Simulators.Scenarios;

namespace SmartSeal.Simulators.Tests;

/// <summary>
/// Faults during stamp flows on a real broker: network drops, broker restarts and power cuts at
/// every flash write. The invariants are the security model's: no stamp without its record, no
/// extra stamp, every event reaches the cloud exactly once after dedupe, in seq order.
/// </summary>
public class FaultTests(BrokerFixture fixture) : SimulatorTest(fixture)
{
    private static void Ok(StepOutcome outcome) => Assert.True(outcome.Passed, $"{outcome.Step}: {outcome.Detail}");

    /// <summary>First-seen seqs strictly ascending and without gaps: nothing lost, nothing reordered.</summary>
    private static void AssertCompleteAndOrdered(CloudDeviceRecord record)
    {
        long[] seqs = record.Events.Select(e => e.Seq).ToArray();
        Assert.NotEmpty(seqs);
        Assert.Equal(Enumerable.Range(1, seqs.Length).Select(i => (long)i), seqs);
    }

    [Fact]
    public void A_network_drop_in_the_middle_of_stamp_flows_loses_and_duplicates_nothing()
    {
        using ScenarioWorld world = Fixture.NewWorld();
        var runner = new ScenarioRunner(world);
        var device = (SimulatedLock)runner.Start("lock", "lock-f-net");
        Ok(runner.Step("""{"step":"cloud","action":"load-token","uses":5,"offline":2,"documents":[{"id":"doc-1","pages":9}]}"""));

        // Stamp 1 online; the cloud stops acknowledging, so the events stay on flash.
        Ok(runner.Step("""{"step":"cloud","action":"ack","on":false}"""));
        Ok(runner.Step("""{"step":"press-button"}"""));
        Ok(runner.Step("""{"step":"cloud","action":"doc-verdict","verdict":"ok","document":"doc-1","page":1}"""));
        Ok(runner.Step("""{"step":"network-drop"}"""));   // drops while unlocked, before the stamp
        Ok(runner.Step("""{"step":"stamp"}"""));
        Ok(runner.Step("""{"step":"press-button"}"""));  // stamp 2 offline, on the offline allowance
        Ok(runner.Step("""{"step":"stamp"}"""));
        Ok(runner.Step("""{"step":"cloud","action":"ack","on":true}"""));
        Ok(runner.Step("""{"step":"network-up"}"""));
        Ok(runner.Step("""{"step":"wait-link","seconds":60}"""));

        // Stamp 3 online, with a drop right after the stamp (before its ack can arrive).
        Ok(runner.Step("""{"step":"press-button"}"""));
        Ok(runner.Step("""{"step":"cloud","action":"doc-verdict","verdict":"ok","document":"doc-1","page":3}"""));
        device.Stamp();
        Ok(runner.Step("""{"step":"network-drop","seconds":5}"""));
        Ok(runner.Step("""{"step":"wait-link","seconds":60}"""));
        Ok(runner.Step("""{"step":"expect","stamps":3,"boltOpenings":3,"remaining":2,"pending":0,"link":"Up"}"""));

        CloudDeviceRecord record = world.Cloud.Device("lock-f-net");
        {
            AssertCompleteAndOrdered(record);
            Assert.True(record.Duplicates > 0, "the unacknowledged events were replayed (and deduped)");
            Assert.Equal(3, record.Events.Count(e => e.Type == "stamped"));
            Assert.Equal(record.Stamps, device.Bolt.UnlockCount);
        }
    }

    [Fact]
    public void A_broker_restart_with_events_in_flight_loses_and_duplicates_nothing()
    {
        using ScenarioWorld world = Fixture.NewWorld();
        var runner = new ScenarioRunner(world);
        var device = (SimulatedLock)runner.Start("lock", "lock-f-broker");
        Ok(runner.Step("""{"step":"cloud","action":"load-token","uses":3}"""));
        Ok(runner.Step("""{"step":"cloud","action":"ack","on":false}"""));
        Ok(runner.Step("""{"step":"press-button"}"""));
        Ok(runner.Step("""{"step":"stamp"}"""));
        Assert.False(runner.Step("""{"step":"expect","pending":0}""").Passed, "the events must still wait for their acks on flash");
        Ok(runner.Step("""{"step":"cloud","action":"ack","on":true}"""));
        Ok(runner.Step("""{"step":"broker-restart"}"""));
        Ok(runner.Step("""{"step":"wait-link","seconds":60}"""));
        Ok(runner.Step("""{"step":"press-button"}"""));
        Ok(runner.Step("""{"step":"stamp"}"""));
        Ok(runner.Step("""{"step":"expect","stamps":2,"boltOpenings":2,"remaining":1,"pending":0,"link":"Up"}"""));
        Assert.True(device.Link.Connects >= 2 || device.BootCount == 1);

        CloudDeviceRecord record = world.Cloud.Device("lock-f-broker");
        {
            AssertCompleteAndOrdered(record);
            Assert.Equal(2, record.Stamps);
        }
    }

    /// <summary>
    /// The stamp flow with the power failing at flash write n, for every n the flow performs. After
    /// each cut the lock reboots from flash; then someone tries to stamp again with the same
    /// one-use token.
    /// </summary>
    [Fact]
    public void A_power_cut_at_any_flash_write_of_a_stamp_flow_never_adds_a_stamp_nor_loses_a_recorded_one()
    {
        int writesInFlow = CountFlowWrites();
        Assert.True(writesInFlow >= 5, $"the flow performs {writesInFlow} flash writes");
        for (int cutAt = 0; cutAt <= writesInFlow; cutAt++)
        {
            using ScenarioWorld world = Fixture.NewWorld();
            var runner = new ScenarioRunner(world);
            string id = $"lock-pc-{cutAt:000}";
            var device = (SimulatedLock)runner.Start("lock", id);
            Ok(runner.Step("""{"step":"cloud","action":"load-token","uses":1,"documents":[{"id":"doc-1","pages":1}]}"""));
            device.Flash.CutPowerAfter(cutAt);
            bool stampedWhileOpen = RunFlow(runner, device);
            bool cutHappened = device.PowerCuts > 0;
            device.Flash.RestorePower();

            // Recover, then try again with the same token.
            Ok(runner.Step("""{"step":"wait-link","seconds":60}"""));
            if (device.State!.Remaining > 0)
            {
                RunFlow(runner, device);
            }
            else
            {
                Ok(runner.Step("""{"step":"press-button"}"""));
                Ok(runner.Step("""{"step":"stamp"}"""));
            }

            Ok(runner.Step("""{"step":"wait","seconds":2}"""));
            CloudDeviceRecord record = world.Cloud.Device(id);
            string at = $"power cut at write {cutAt} (cut happened: {cutHappened})";
            Assert.True(device.Bolt.UnlockCount <= 1, $"{at}: bolt opened {device.Bolt.UnlockCount} times on a one-use token");
            Assert.Equal(0, device.Queue.Count);
            {
                Assert.True(record.Stamps <= device.Bolt.UnlockCount, $"{at}: {record.Stamps} stamps for {device.Bolt.UnlockCount} openings");
                if (stampedWhileOpen && !cutHappened)
                {
                    Assert.Equal(1, record.Stamps);
                }

                if (device.Bolt.UnlockCount == 1 && record.Events.Any(e => e.Type == "unlocked"))
                {
                    Assert.Equal(0, device.State!.Remaining);
                }

                AssertCompleteAndOrdered(record);
            }
        }
    }

    /// <summary>Button, page photo, verdict, stamp; true when the stamp switch went down while the bolt was open.</summary>
    private static bool RunFlow(ScenarioRunner runner, SimulatedLock device)
    {
        Ok(runner.Step("""{"step":"press-button"}"""));
        Ok(runner.Step("""{"step":"wait","seconds":0.5}"""));
        if (device.PoweredOn && device.State!.Mode == Firmware.Lock.LockMode.AwaitingVerdict)
        {
            Ok(runner.Step("""{"step":"cloud","action":"doc-verdict","verdict":"ok","document":"doc-1","page":1}"""));
        }

        bool open = device.Bolt.IsUnlocked;
        Ok(runner.Step("""{"step":"stamp"}"""));
        Ok(runner.Step("""{"step":"wait","seconds":1}"""));
        return open;
    }

    private int CountFlowWrites()
    {
        using ScenarioWorld world = Fixture.NewWorld();
        var runner = new ScenarioRunner(world);
        var device = (SimulatedLock)runner.Start("lock", "lock-pc-count");
        Ok(runner.Step("""{"step":"cloud","action":"load-token","uses":1,"documents":[{"id":"doc-1","pages":1}]}"""));
        int before = device.Flash.MutationCount;
        Assert.True(RunFlow(runner, device));
        Ok(runner.Step("""{"step":"expect","stamps":1}"""));
        return device.Flash.MutationCount - before;
    }
}
