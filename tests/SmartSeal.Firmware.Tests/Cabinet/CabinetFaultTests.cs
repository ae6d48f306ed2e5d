using SmartSeal.Firmware.Cabinet;
using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Hardware.Fakes;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Firmware.Tests.Cabinet;

/// <summary>
/// A collection and a return at compartment 1, run once per flash write with the power failing at
/// that write. The cloud behaves as it does for real: it resends a command it got no result for
/// (with the same token), and the person only does what the hardware lets them (a latched door
/// does not open). The token must never open the compartment twice, the seal leaving must always
/// be reported, the return must end locked with the seal in, and every recorded event must reach
/// the cloud exactly once after dedupe.
/// </summary>
public class CabinetFaultTests
{
    private sealed class Run
    {
        public readonly CabinetControllerTests.Bench Bench = new();
        public readonly HashSet<long> CloudSeqs = [];
        public int DispenseOpenings;
        public bool SealLeft;
        private int _delivered;
        private readonly string _token;

        public Run()
        {
            _token = Bench.CabinetToken(1, "seal-company", "ctok-fault");
        }

        public void Play()
        {
            Retry(() =>
            {
                int before = Bench.Latches[0].UnlockCount;
                string id = Bench.Dispense(1, "seal-company", _token);
                DispenseOpenings += Bench.Latches[0].UnlockCount - before;
                return Answered(id);
            });
            if (!Bench.Latches[0].IsUnlocked)
            {
                return; // the collection did not happen (token spent by a power cut): the cloud issues a new one
            }

            OpenDoor();
            Physical(() => { if (DoorOpen) { Bench.Readers[0].Present = TagReading.None; SealLeft = true; Bench.Controller.Tick(); } });
            Physical(() => Bench.Door(1, false));
            if (!SealLeft)
            {
                return;
            }

            Retry(() => Answered(Bench.Cloud.Send(new AcceptReturnBody { Compartment = 1, SealId = "seal-company", ExpectedTag = "04A1B2C3" })));
            OpenDoor();
            Physical(() => { if (DoorOpen) { Bench.Readers[0].Present = "04A1B2C3"; Bench.Controller.Tick(); } });
            Physical(() => Bench.Door(1, false));
        }

        private bool DoorOpen => Bench.Doors[0].IsActive;

        /// <summary>The person pulls the door; it only opens when the latch is released.</summary>
        private void OpenDoor() => Physical(() => { if (Bench.Latches[0].IsUnlocked) { Bench.Door(1, true); } });

        private bool Answered(string commandId) => Bench.Cloud.Bodies<CommandResultBody>().Any(r => r.CommandId == commandId);

        /// <summary>A cloud command, resent (up to three times) while no result came back.</summary>
        private void Retry(Func<bool> send)
        {
            for (int i = 0; i < 3; i++)
            {
                if (Guard(() => { }) && Safe(send))
                {
                    return;
                }
            }
        }

        private bool Safe(Func<bool> action)
        {
            bool result = false;
            return Guard(() => result = action()) && result;
        }

        private void Physical(Action action) => Guard(action);

        /// <summary>Runs one step; on a power cut the cabinet reboots (latches spring shut) and the step is over.</summary>
        private bool Guard(Action action)
        {
            try
            {
                action();
                Bench.Clock.Advance(500);
                Bench.Controller.Tick();
                Collect();
                return true;
            }
            catch (PowerCutException)
            {
                Bench.Flash.RestorePower();
                Bench.Link.SetConnected(false);
                bool doorOpen = Bench.Doors[0].IsActive;
                Bench.PowerOn();
                if (doorOpen)
                {
                    Bench.Door(1, false); // the person shuts the door while the cabinet is dark
                }

                Bench.Link.SetConnected(true);
                Collect();
                return false;
            }
        }

        public void Collect()
        {
            var published = Bench.Cloud.Published();
            var fresh = new List<long>();
            for (int i = _delivered; i < published.Count; i++)
            {
                CloudSeqs.Add(published[i].Envelope.Seq);
                fresh.Add(published[i].Envelope.Seq);
            }

            _delivered = published.Count;
            if (fresh.Count > 0)
            {
                Bench.Cloud.Send(new AckBody { Seqs = fresh.ToArray() });
            }
        }

        public void Finish()
        {
            Bench.Link.SetConnected(false);
            Bench.Link.SetConnected(true);
            Collect();
        }
    }

    [Fact]
    public void A_power_cut_at_any_flash_write_never_opens_twice_for_one_token_and_loses_no_hand_over()
    {
        var dry = new Run();
        int before = dry.Bench.Flash.MutationCount;
        dry.Play();
        dry.Finish();
        Assert.Equal(1, dry.DispenseOpenings);
        Assert.Equal(CompartmentMode.Locked, dry.Bench.State(1).Mode);
        Assert.Single(dry.Bench.Cloud.Bodies<DispensedBody>());
        Assert.Single(dry.Bench.Cloud.Bodies<ReturnedBody>());
        int writes = dry.Bench.Flash.MutationCount - before;
        Assert.True(writes > 15, $"only {writes} flash writes");

        int collected = 0;
        for (int cut = 0; cut < writes; cut++)
        {
            var run = new Run();
            run.Bench.Flash.CutPowerAfter(cut);
            run.Play();
            run.Bench.Flash.RestorePower();
            run.Finish();
            string label = $"power cut after write {cut}";
            var bodies = run.Bench.Cloud.Published().Select(p => p.Body).ToList();
            Assert.True(run.DispenseOpenings <= 1, $"{label}: the token opened the compartment {run.DispenseOpenings} times");
            if (run.SealLeft)
            {
                collected++;
                Assert.True(bodies.OfType<DispensedBody>().Any(d => d.TokenId == "ctok-fault"), $"{label}: the seal left but no dispensed event: {string.Join(",", bodies.Select(b => b.Type))} mode {run.Bench.State(1).Mode}");
                bool back = run.Bench.Readers[0].Present == "04A1B2C3";
                if (back)
                {
                    Assert.True(bodies.OfType<ReturnedBody>().Any(), $"{label}: the seal came back but no returned event");
                }
            }
            else
            {
                Assert.DoesNotContain(bodies, b => b is DispensedBody);
            }

            Assert.True(run.CloudSeqs.Max() == run.CloudSeqs.Count, $"{label}: seqs have a gap");
            Assert.DoesNotContain(bodies, b => b is AlarmBody { Alarm: AlarmType.ForcedDoor });
        }

        Assert.True(collected > writes / 2, $"only {collected} of {writes} runs got as far as a collection");
    }
}
