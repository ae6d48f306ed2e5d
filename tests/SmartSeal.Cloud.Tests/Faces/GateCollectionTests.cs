using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Checkouts;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EdgeFaceGate;
using SmartSeal.EdgeFaceGate.Inputs;
using SmartSeal.FaceRecognition;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Envelopes;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Provisioning;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Faces;

/// <summary>
/// The "done when", through the real approval flow and the cabinet orchestration: an
/// enrolled applicant's different photos at the gate make the cloud send the cabinet a dispense for
/// exactly their approved seal's compartment; an enrolled approver without an application and a
/// stranger make it send nothing. The cabinet is an MQTT device client recording its commands.
/// </summary>
public sealed class GateCollectionTests : CloudTest<CloudFactory>, IDisposable
{
    private readonly CloudFactory _cloud;
    private readonly OrgWorld _org;
    private readonly ITestOutputHelper _output;
    private readonly string _work = Directory.CreateTempSubdirectory("gate-collect-").FullName;

    public GateCollectionTests(CloudFactory cloud, ITestOutputHelper output)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
        _output = output;
    }

    private string Frames(string person, params string[] files)
    {
        string folder = Directory.CreateDirectory(Path.Combine(_work, person + "-" + Guid.NewGuid().ToString("n")[..4])).FullName;
        for (int i = 0; i < files.Length; i++)
        {
            File.Copy(FaceWorld.Photo(person, files[i]), Path.Combine(folder, $"{i:D2}-{files[i]}"));
        }

        return folder;
    }

    private static List<DispenseBody> Dispenses(DeviceClient cabinet)
    {
        var dispenses = new List<DispenseBody>();
        foreach ((string topic, byte[] payload) in cabinet.Received)
        {
            var envelope = new Envelope();
            if (topic == DeviceTopics.For(cabinet.DeviceId, TopicKind.Commands)
                && EnvelopeCodec.Decode(payload, 0, payload.Length, envelope, out _) == ProtocolError.None
                && EnvelopeCodec.VerifyMac(envelope, cabinet.Key) && envelope.Type == MessageTypes.Dispense)
            {
                var body = new DispenseBody();
                Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(envelope, body, out _));
                dispenses.Add(body);
            }
        }

        return dispenses;
    }

    [Fact]
    public async Task The_enrolled_applicants_face_opens_exactly_their_approved_seals_compartment_and_nobody_elses_opens_anything()
    {
        SealOffice office = await SealOffice.CreateAsync(_org);
        string cabinetId = OrgWorld.Unique("cab");
        await using DeviceClient cabinet = await DeviceClient.ConnectAsync(_cloud.MqttPort, cabinetId, await _cloud.ProvisionAsync(cabinetId, DeviceKind.Cabinet, compartments: 4));
        await cabinet.PublishAsync(DeviceTopics.For(cabinetId, TopicKind.Status), cabinet.Sign(new StatusBody { Online = true, Firmware = "test" }, seq: 0), retain: true);
        await using (DbConnection connection = await _cloud.Service<Database>().OpenAsync())
        await using (DbTransaction transaction = await connection.BeginTransactionAsync())
        {
            await SealRegistry.SetLocationAsync(connection, transaction, office.SealId, SealLocationKind.Cabinet, $"{cabinetId}/3", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await transaction.CommitAsync();
        }

        await office.ApprovedApplicationAsync(CheckoutEndToEndTests.Request(office.SealId, "cabinet", stamps: 1));
        Assert.Equal(HttpStatusCode.Created, (await FaceWorld.EnrolAsync(office.KeeperClient, office.Applicant,
            FaceWorld.Photo("angelina_jolie", "deepface_img1.jpg"), FaceWorld.Photo("angelina_jolie", "deepface_img10.jpg"), FaceWorld.Photo("angelina_jolie", "deepface_img11.jpg"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await FaceWorld.EnrolAsync(office.KeeperClient, office.Head,
            FaceWorld.Photo("katy_perry", "deepface_img26.jpg"), FaceWorld.Photo("katy_perry", "deepface_img27.jpg"))).StatusCode);

        string gateId = OrgWorld.Unique("gate");
        ProvisionResult provisioned = await _cloud.Service<DeviceProvisioner>().ProvisionAsync(new ProvisionRequest(gateId, DeviceKind.Gate));
        byte[] json = DeviceProvisioner.ProvisioningFileFor(provisioned.Device!, provisioned.Key!, new BrokerEndpoint("127.0.0.1", _cloud.MqttPort));
        ProvisioningFile device = ProvisioningFile.Parse(json, 0, json.Length);
        Assert.Equal(HttpStatusCode.OK, (await _org.Admin.PutAsJsonAsync($"/api/gates/{gateId}/cabinet", new { cabinetId })).StatusCode);

        using FaceModels models = FaceModels.LoadDefault();
        var pipeline = new FacePipeline(models);
        async Task<IReadOnlyList<DecisionLogEntry>> AtTheGateAsync(string frames)
        {
            var host = new GateHost(new GateHostOptions { Device = device, StateFolder = Path.Combine(_work, "state") }, pipeline, _cloud.CreateClient(), TimeProvider.System, _output.WriteLine);
            using IFrameSource source = FrameSources.Open(frames);
            return await host.RunAsync(source, CancellationToken.None);
        }

        // The approver is enrolled but has no application here: not even in the gate's gallery.
        IReadOnlyList<DecisionLogEntry> head = await AtTheGateAsync(Frames("katy_perry", "deepface_img42.jpg", "deepface_img43.jpg", "deepface_img44.jpg", "deepface_img45.jpg", "deepface_img46.jpg", "deepface_img28.jpg", "deepface_img26.jpg", "deepface_img27.jpg"));
        IReadOnlyList<DecisionLogEntry> stranger = await AtTheGateAsync(Frames("scarlett_johansson", "deepface_img47.jpg", "deepface_img48.jpg", "deepface_img49.jpg", "deepface_img50.jpg", "deepface_img8.jpg", "deepface_img9.jpg", "deepface_img51.jpg", "deepface_img47.jpg"));
        Assert.DoesNotContain(head.Concat(stranger), d => d.State == DecisionState.Accepted);
        Assert.Empty(Dispenses(cabinet)); // and none later: the single dispense below follows these reports from the same gate

        // The applicant, photos the enrolment never saw: one dispense, for compartment 3 and their seal.
        DecisionLogEntry accepted = Assert.Single(await AtTheGateAsync(Frames("angelina_jolie", "deepface_img2.jpg", "deepface_img4.jpg", "deepface_img6.jpg")));
        Assert.Equal((DecisionState.Accepted, office.Applicant), (accepted.State, accepted.Subject));
        await Eventually.Async(() => Dispenses(cabinet).Count > 0, "the cabinet got a dispense command after the gate's decision");

        DispenseBody dispense = Assert.Single(Dispenses(cabinet));
        Assert.Equal((3, office.SealId, office.Tag), (dispense.Compartment, dispense.SealId, dispense.ExpectedTag));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
