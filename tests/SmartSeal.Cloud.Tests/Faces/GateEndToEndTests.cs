using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EdgeFaceGate;
using SmartSeal.EdgeFaceGate.Inputs;
using SmartSeal.EdgeFaceGate.Link;
using SmartSeal.FaceRecognition;
using SmartSeal.Protocol.Provisioning;

namespace SmartSeal.Cloud.Tests.Faces;

/// <summary>
/// The whole path: a provisioned gate (its real device.json) syncs templates from the cloud, reads a
/// folder of frames, decides, and publishes the capture photo and the signed decision over MQTT;
/// the cloud records an accepted gate decision with the subject and stores the photo. Impostors
/// and an enrolled person without an approved application get no accepted decision.
/// </summary>
public sealed class GateEndToEndTests : CloudTest<CloudFactory>, IDisposable
{
    private readonly CloudFactory _cloud;
    private readonly OrgWorld _org;
    private readonly FaceWorld _faces;
    private readonly ITestOutputHelper _output;
    private readonly string _work = Directory.CreateTempSubdirectory("gate-e2e-").FullName;

    public GateEndToEndTests(CloudFactory cloud, ITestOutputHelper output)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
        _faces = new FaceWorld(cloud);
        _output = output;
    }

    private string Frames(string name, string person, params string[] files)
    {
        string folder = Directory.CreateDirectory(Path.Combine(_work, name)).FullName;
        for (int i = 0; i < files.Length; i++)
        {
            File.Copy(FaceWorld.Photo(person, files[i]), Path.Combine(folder, $"{i:D2}-{files[i]}"));
        }

        return folder;
    }

    private async Task<ProvisioningFile> ProvisionGateAsync(string gate)
    {
        ProvisionResult result = await _cloud.Service<DeviceProvisioner>().ProvisionAsync(new ProvisionRequest(gate, DeviceKind.Gate));
        Assert.Equal(ProvisionStatus.Ok, result.Status);
        byte[] json = DeviceProvisioner.ProvisioningFileFor(result.Device!, result.Key!, new BrokerEndpoint("127.0.0.1", _cloud.MqttPort));
        return ProvisioningFile.Parse(json, 0, json.Length);
    }

    private async Task<IReadOnlyList<DecisionLogEntry>> RunGateAsync(ProvisioningFile device, FacePipeline pipeline, string frames)
    {
        var host = new GateHost(
            new GateHostOptions { Device = device, StateFolder = Path.Combine(_work, device.DeviceId + ".state"), DrainFor = TimeSpan.FromSeconds(20) },
            pipeline, _cloud.CreateClient(), TimeProvider.System, line => _output.WriteLine(line));
        using IFrameSource source = FrameSources.Open(frames);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        IReadOnlyList<DecisionLogEntry> decisions = await host.RunAsync(source, timeout.Token);
        Assert.Empty(new GateOutbox(Path.Combine(_work, device.DeviceId + ".state")).Pending());
        return decisions;
    }

    [Fact]
    public async Task An_enrolled_applicant_at_the_gate_yields_an_accepted_decision_with_a_stored_capture_photo_and_impostors_do_not()
    {
        await _org.EnsureRootAsync();
        string unit = await _org.UnitAsync(OrgWorld.Unique("e2e"), "hq");
        string cabinet = OrgWorld.Unique("cab");
        string gate = OrgWorld.Unique("gate");
        await _cloud.ProvisionAsync(cabinet, DeviceKind.Cabinet, compartments: 4);
        ProvisioningFile device = await ProvisionGateAsync(gate);
        Assert.Equal(HttpStatusCode.OK, (await _org.Admin.PutAsJsonAsync($"/api/gates/{gate}/cabinet", new { cabinetId = cabinet })).StatusCode);

        string applicant = await _org.UserAsync(OrgWorld.Unique("angelina"), unit, "applicant");
        string unapproved = await _org.UserAsync(OrgWorld.Unique("katy"), unit, "applicant");
        HttpClient keeper = await _org.SignInAsync(await _org.UserAsync(OrgWorld.Unique("keeper"), unit, "keeper"));
        Assert.Equal(HttpStatusCode.Created, (await FaceWorld.EnrolAsync(keeper, applicant,
            FaceWorld.Photo("angelina_jolie", "deepface_img1.jpg"), FaceWorld.Photo("angelina_jolie", "deepface_img10.jpg"), FaceWorld.Photo("angelina_jolie", "deepface_img11.jpg"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await FaceWorld.EnrolAsync(keeper, unapproved,
            FaceWorld.Photo("katy_perry", "deepface_img26.jpg"), FaceWorld.Photo("katy_perry", "deepface_img27.jpg"), FaceWorld.Photo("katy_perry", "deepface_img28.jpg"))).StatusCode);
        string seal = OrgWorld.Unique("seal");
        await _faces.SealInCabinetAsync(seal, unit, cabinet, 3);
        await _faces.ApplicationAsync(applicant, unit, seal, "approved");
        await _faces.ApplicationAsync(unapproved, unit, seal, "pending");

        using FaceModels models = FaceModels.LoadDefault();
        var pipeline = new FacePipeline(models);

        // The applicant, photos the enrolment never saw.
        IReadOnlyList<DecisionLogEntry> decisions = await RunGateAsync(device, pipeline,
            Frames("applicant", "angelina_jolie", "deepface_img2.jpg", "deepface_img4.jpg", "deepface_img5.jpg", "deepface_img6.jpg"));
        DecisionLogEntry accepted = Assert.Single(decisions, d => d.State == DecisionState.Accepted);
        Assert.Equal(applicant, accepted.Subject);

        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        var row = await connection.QuerySingleAsync<(string Subject, bool Accepted, string Cabinet, string PhotoId, long Score, long Liveness, string Templates)>(
            "SELECT subject, accepted, cabinet_id, photo_id, score, liveness, templates FROM gate_decisions WHERE gate_id = @gate", new { gate });
        Assert.Equal((applicant, true, cabinet, accepted.PhotoId), (row.Subject, row.Accepted, row.Cabinet, row.PhotoId));
        Assert.InRange(row.Score, 4500, 10000);
        Assert.InRange(row.Liveness, 5000, 10000);
        Assert.Equal(FaceRecipe.Version, row.Templates);
        long photoBytes = await connection.ExecuteScalarAsync<long>(
            "SELECT p.bytes FROM photo_refs r JOIN photos p ON p.sha256 = r.sha256 WHERE r.device_id = @gate AND r.photo_id = @photo", new { gate, photo = accepted.PhotoId });
        Assert.True(photoBytes > 1000, $"capture photo stored with {photoBytes} bytes");
        Device registered = (await _cloud.Service<DeviceRepository>().FindAsync(gate))!;
        Assert.Equal((GateLink.Firmware, false, "stopped"), (registered.Firmware, registered.Online, registered.StatusReason));

        // Impostors: a stranger, and an enrolled person whose application is not approved.
        IReadOnlyList<DecisionLogEntry> stranger = await RunGateAsync(device, pipeline,
            Frames("stranger", "scarlett_johansson", "deepface_img47.jpg", "deepface_img48.jpg", "deepface_img49.jpg", "deepface_img50.jpg", "deepface_img8.jpg", "deepface_img9.jpg", "deepface_img51.jpg", "deepface_img47.jpg"));
        IReadOnlyList<DecisionLogEntry> notApproved = await RunGateAsync(device, pipeline,
            Frames("unapproved", "katy_perry", "deepface_img42.jpg", "deepface_img43.jpg", "deepface_img44.jpg", "deepface_img45.jpg", "deepface_img46.jpg", "deepface_img26.jpg", "deepface_img27.jpg", "deepface_img28.jpg"));
        Assert.DoesNotContain(stranger.Concat(notApproved), d => d.State == DecisionState.Accepted);
        Assert.Contains(stranger, d => d.State == DecisionState.Refused);
        Assert.Contains(notApproved, d => d.State == DecisionState.Refused);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM gate_decisions WHERE gate_id = @gate", new { gate }));
    }

    [Fact]
    public async Task A_decision_made_while_the_broker_is_unreachable_is_kept_and_delivered_by_the_next_run_with_the_same_seq()
    {
        await _org.EnsureRootAsync();
        string unit = await _org.UnitAsync(OrgWorld.Unique("e2e"), "hq");
        string cabinet = OrgWorld.Unique("cab");
        await _cloud.ProvisionAsync(cabinet, DeviceKind.Cabinet, compartments: 2);
        ProvisioningFile device = await ProvisionGateAsync(OrgWorld.Unique("gate"));
        Assert.Equal(HttpStatusCode.OK, (await _org.Admin.PutAsJsonAsync($"/api/gates/{device.DeviceId}/cabinet", new { cabinetId = cabinet })).StatusCode);
        string applicant = await _org.UserAsync(OrgWorld.Unique("jack"), unit, "applicant");
        Assert.Equal(HttpStatusCode.Created, (await FaceWorld.EnrolAsync(_org.Admin, applicant,
            FaceWorld.Photo("jack_dorsey", "deepface_img16.jpg"), FaceWorld.Photo("jack_dorsey", "deepface_img17.jpg"))).StatusCode);
        string seal = OrgWorld.Unique("seal");
        await _faces.SealInCabinetAsync(seal, unit, cabinet, 1);
        await _faces.ApplicationAsync(applicant, unit, seal, "approved");

        using FaceModels models = FaceModels.LoadDefault();
        var pipeline = new FacePipeline(models);
        string state = Path.Combine(_work, device.DeviceId + ".state");
        string frames = Frames("jack", "jack_dorsey", "deepface_img59.jpg", "deepface_img61.jpg", "deepface_img62.jpg");
        byte[] offlineJson = DeviceProvisioner.ProvisioningFileFor((await _cloud.Service<DeviceCache>().FindAsync(device.DeviceId))!, device.Key, new BrokerEndpoint("127.0.0.1", 1));
        ProvisioningFile offline = ProvisioningFile.Parse(offlineJson, 0, offlineJson.Length);
        var offlineHost = new GateHost(new GateHostOptions { Device = offline, StateFolder = state, DrainFor = TimeSpan.FromSeconds(1) },
            pipeline, _cloud.CreateClient(), TimeProvider.System, line => _output.WriteLine(line));
        using (IFrameSource source = FrameSources.Open(frames))
        {
            DecisionLogEntry accepted = Assert.Single(await offlineHost.RunAsync(source, CancellationToken.None), d => d.State == DecisionState.Accepted);
            Assert.Equal(applicant, accepted.Subject);
        }

        var pending = new GateOutbox(state).Pending();
        Assert.Contains(pending, p => p.Topic == SmartSeal.Protocol.Topics.TopicKind.Events);
        long decisionSeq = pending.Max(p => p.Seq);

        // Back online with nothing to look at: the outbox alone carries the decision.
        await RunGateAsync(device, pipeline, Directory.CreateDirectory(Path.Combine(_work, "empty")).FullName);
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        var row = await connection.QuerySingleAsync<(string Subject, long Seq, bool Accepted)>(
            "SELECT subject, seq, accepted FROM gate_decisions WHERE gate_id = @gate", new { gate = device.DeviceId });
        Assert.Equal((applicant, decisionSeq, true), row);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
