using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EndToEnd.Tests.Infrastructure;
using SmartSeal.Firmware.Cabinet;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Topics;
using SmartSeal.Simulators.Devices;
using CloudDeviceKind = SmartSeal.Cloud.Devices.DeviceKind;

namespace SmartSeal.EndToEnd.Tests.Scenarios;

/// <summary>
/// Mission scenarios at the cabinet, with the real cabinet firmware against the real cloud: a wrong
/// seal put back, and people or devices at the face gate who should open nothing. (The plain
/// collection and return are in Cloud.Tests' <c>CheckoutEndToEndTests</c>.)
/// </summary>
public class CabinetAndGateScenarios : MissionTest<E2eCloudFactory>
{
    public CabinetAndGateScenarios(E2eCloudFactory cloud)
        : base(cloud)
    {
    }

    [Fact]
    public async Task A_wrong_seal_put_back_raises_an_alarm_keeps_the_compartment_open_and_putting_the_right_one_in_closes_the_checkout()
    {
        SealOffice office = await Mission.OfficeAsync();
        SealOffice other = await Mission.OfficeAsync();
        string cabinetId = OrgWorld.Unique("cab");
        (SimulatedCabinet cabinet, DeviceLoop loop) = await Mission.OnlineCabinetAsync(cabinetId, 2);
        using DeviceLoop running = loop;
        string applicationId = await Mission.CollectedAsync(office, cabinet, loop);

        // The applicant comes back with another office's seal: the door stays released, the cabinet says so.
        await Mission.OkAsync(await office.KeeperClient.PostAsync($"/api/checkouts/{applicationId}/accept-return", null));
        await Mission.WaitUntilAsync(() => Task.FromResult(cabinet.Compartments[0].Mode == CompartmentMode.Returning), "opened for the return");
        await Mission.PutSealAsync(loop, cabinet, 1, other.Tag, close: false);
        await Mission.WaitUntilAsync(async () => (await Mission.ActiveAlarmsAsync(cabinetId)).Contains("wrong-seal"), "the wrong-seal alarm reached the cloud");
        JsonElement hook = await Mission.WebhookAsync(Cloud.Receiver, cabinetId, "wrong-seal");
        Assert.Equal(("critical", 1), (hook.GetProperty("severity").GetString(), hook.GetProperty("compartment").GetInt32()));
        Assert.Equal(CompartmentMode.Returning, cabinet.Compartments[0].Mode);
        Assert.Equal("out", await Mission.CheckoutStatusAsync(office, applicationId));
        Assert.Equal(("person", office.Applicant), await Mission.SealLocationAsync(office));
        string wrong = Assert.Single(await Mission.BodiesAsync(cabinetId, "wrong-seal"));
        Assert.Contains(other.Tag, wrong);

        // Corrected: the wrong seal out, the right one in, the door shut.
        await CabinetHands.SwapTagAsync(cabinet, 1, string.Empty);
        await Mission.PutSealAsync(loop, cabinet, 1, office.Tag);
        await Mission.WaitUntilAsync(async () => await Mission.CheckoutStatusAsync(office, applicationId) == "returned", "the right seal closed the checkout");
        await Mission.WaitUntilAsync(async () => !(await Mission.ActiveAlarmsAsync(cabinetId)).Contains("wrong-seal"), "the device cleared the wrong-seal alarm");
        await Mission.WebhookAsync(Cloud.Receiver, cabinetId, "wrong-seal", "cleared");
        Assert.Equal(CompartmentMode.Locked, cabinet.Compartments[0].Mode);
        Assert.Equal(("cabinet", $"{cabinetId}/1"), await Mission.SealLocationAsync(office));

        JsonElement[] ledger = await Mission.LedgerAsync(office.SealId);
        Assert.Equal(["return", "dispense", "return"], Mission.Kinds(ledger).Where(k => k is "dispense" or "return"));
        Assert.DoesNotContain(Mission.Kinds(await Mission.LedgerAsync(other.SealId)), k => k is "dispense" or "return");
        await Mission.AssertLedgerIntactAsync(office.SealId);
        await Mission.AssertLedgerIntactAsync(other.SealId);
        loop.Run(cabinet.Shutdown);
    }

    [Fact]
    public async Task At_the_gate_a_person_without_an_application_and_a_face_match_from_a_non_gate_device_open_nothing()
    {
        SealOffice office = await Mission.OfficeAsync();
        string cabinetId = OrgWorld.Unique("cab");
        (SimulatedCabinet cabinet, DeviceLoop loop) = await Mission.OnlineCabinetAsync(cabinetId, 2);
        using DeviceLoop running = loop;
        await Mission.StowAsync(office, cabinet, loop, 1);
        string applicationId = await office.ApprovedApplicationAsync(Mission.Request(office.SealId, "cabinet", stamps: 1));
        FaceMatchBody Match(string subject) => new() { Subject = subject, CabinetId = cabinetId, Score = 7200, Margin = 2100, Liveness = 9500, Frames = 3, TemplateVersion = "w600k-r50/1" };

        // 1. The real gate recognises someone with no application for this cabinet (the department head).
        string gateId = OrgWorld.Unique("gate");
        await using DeviceClient gate = await DeviceClient.ConnectAsync(Cloud.MqttPort, gateId, await Cloud.ProvisionAsync(gateId, CloudDeviceKind.Gate));
        await gate.SendAsync(Match(office.Head));
        await gate.WaitForAckAsync(gate.NextSeq - 1);

        // 2. A lock (a real device with a real key) sends a face-match naming the applicant.
        string lockId = OrgWorld.Unique("lock");
        await using DeviceClient fakeGate = await DeviceClient.ConnectAsync(Cloud.MqttPort, lockId, await Cloud.ProvisionAsync(lockId));
        await fakeGate.SendAsync(Match(office.Applicant));
        await fakeGate.WaitForAckAsync(fakeGate.NextSeq - 1);

        // 3. The same lock signs with its own key an envelope that claims to come from the gate.
        byte[] impersonation = fakeGate.Sign(Match(office.Applicant), seq: 1, asDevice: gateId);
        await fakeGate.PublishAsync(DeviceTopics.For(lockId, TopicKind.Events), impersonation);

        await Mission.WaitUntilAsync(async () => (await Mission.ActiveAlarmsAsync(lockId)).Contains("forged-message"), "the non-gate face-match raised forged-message");
        await Mission.WebhookAsync(Cloud.Receiver, lockId, "forged-message");
        // All three were handled (two acknowledged, the third alarmed): the cloud dispensed nothing, so nothing can open.
        Assert.Equal("awaiting", await Mission.CheckoutStatusAsync(office, applicationId));
        Assert.All(cabinet.Compartments, c => Assert.NotEqual(CompartmentMode.Dispensing, c.Mode));
        Assert.Equal(CompartmentMode.Locked, cabinet.Compartments[0].Mode);
        Assert.Equal(("cabinet", $"{cabinetId}/1"), await Mission.SealLocationAsync(office));

        await using DbConnection connection = await Cloud.Service<Database>().OpenAsync();
        var decisions = (await connection.QueryAsync<(string Device, bool Accepted, string? Reason)>(
            "SELECT gate_id, accepted, reason FROM gate_decisions WHERE gate_id IN (@gateId, @lockId) ORDER BY id", new { gateId, lockId })).ToList();
        Assert.Contains(decisions, d => d.Device == lockId && !d.Accepted);
        Assert.DoesNotContain(decisions, d => d.Device == lockId && d.Accepted);
        Assert.Empty(await Mission.ActiveAlarmsAsync(gateId));
        Assert.DoesNotContain("dispense", Mission.Kinds(await Mission.LedgerAsync(office.SealId)));
        await Mission.AssertLedgerIntactAsync(office.SealId);

        // The applicant at the real gate still gets their seal: nothing above spent the application.
        await gate.SendAsync(Match(office.Applicant));
        await Mission.WaitUntilAsync(() => Task.FromResult(cabinet.Compartments[0].Mode == CompartmentMode.Dispensing), "the real gate's decision released compartment 1");
        loop.Run(cabinet.Shutdown);
    }
}
