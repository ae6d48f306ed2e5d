using System.Net;
using System.Net.Http.Json;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Gate;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EdgeFaceGate.Templates;
using SmartSeal.FaceRecognition;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.Cloud.Tests.Faces;

/// <summary>Which templates reach a gate: only people who may collect at its cabinet now, over a request signed with the gate's key.</summary>
public class GateTemplateSyncTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;
    private readonly OrgWorld _org;
    private readonly FaceWorld _faces;

    public GateTemplateSyncTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
        _faces = new FaceWorld(cloud);
    }

    private static string[] Photos(string person, params string[] files) => files.Select(f => FaceWorld.Photo(person, f)).ToArray();

    private async Task EnrolAsync(params (string Login, string Person, string[] Files)[] people)
    {
        foreach ((string login, string person, string[] files) in people)
        {
            HttpResponseMessage enrolled = await FaceWorld.EnrolAsync(_org.Admin, login, Photos(person, files));
            Assert.True(enrolled.StatusCode == HttpStatusCode.Created, $"{person}: {await enrolled.Content.ReadAsStringAsync()}");
        }
    }

    private async Task<(string Gate, byte[] Key, string Cabinet)> GateAtCabinetAsync()
    {
        string cabinet = OrgWorld.Unique("cab");
        string gate = OrgWorld.Unique("gate");
        await _cloud.ProvisionAsync(cabinet, DeviceKind.Cabinet, compartments: 4);
        byte[] key = await _cloud.ProvisionAsync(gate, DeviceKind.Gate);
        HttpResponseMessage assigned = await _org.Admin.PutAsJsonAsync($"/api/gates/{gate}/cabinet", new { cabinetId = cabinet });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        return (gate, key, cabinet);
    }

    [Fact]
    public async Task A_gate_gets_templates_only_of_enrolled_people_with_an_approved_cabinet_application_for_a_seal_in_its_cabinet()
    {
        await _org.EnsureRootAsync();
        string unit = await _org.UnitAsync(OrgWorld.Unique("sync"), "hq");
        (string gate, byte[] key, string cabinet) = await GateAtCabinetAsync();
        string entitled = await _org.UserAsync(OrgWorld.Unique("entitled"), unit, "applicant");
        string pending = await _org.UserAsync(OrgWorld.Unique("pending"), unit, "applicant");
        string elsewhere = await _org.UserAsync(OrgWorld.Unique("elsewhere"), unit, "applicant");
        string ended = await _org.UserAsync(OrgWorld.Unique("ended"), unit, "applicant");
        string lockMode = await _org.UserAsync(OrgWorld.Unique("lockmode"), unit, "applicant");
        string notEnrolled = await _org.UserAsync(OrgWorld.Unique("noface"), unit, "applicant");
        await EnrolAsync(
            (entitled, "angelina_jolie", new[] { "deepface_img1.jpg", "deepface_img10.jpg", "deepface_img11.jpg" }),
            (pending, "katy_perry", new[] { "deepface_img26.jpg", "deepface_img27.jpg" }),
            (elsewhere, "scarlett_johansson", new[] { "deepface_img47.jpg", "deepface_img48.jpg" }),
            (ended, "jack_dorsey", new[] { "deepface_img16.jpg", "deepface_img17.jpg" }),
            (lockMode, "george_clooney", new[] { "deepface_img38.jpg", "deepface_img39.jpg" }));

        string seal = OrgWorld.Unique("seal");
        string otherSeal = OrgWorld.Unique("seal");
        await _faces.SealInCabinetAsync(seal, unit, cabinet, 2);
        await _faces.SealInCabinetAsync(otherSeal, unit, "cab-far-away", 1);
        await _faces.ApplicationAsync(entitled, unit, seal, "approved");
        await _faces.ApplicationAsync(pending, unit, seal, "pending");
        await _faces.ApplicationAsync(elsewhere, unit, otherSeal, "approved");
        await _faces.ApplicationAsync(ended, unit, seal, "approved", windowToMs: DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000);
        await _faces.ApplicationAsync(lockMode, unit, seal, "approved", mode: "lock");
        await _faces.ApplicationAsync(notEnrolled, unit, seal, "approved");

        var sync = new TemplateSyncClient(_cloud.CreateClient(), gate, key, TimeProvider.System);
        (GateTemplateSet set, int bytes) = await sync.FetchAsync(CancellationToken.None);
        Assert.Equal(cabinet, set.CabinetId);
        GatePerson only = Assert.Single(set.People);
        Assert.Equal(entitled, only.Subject);
        Assert.Equal(3, only.Templates.Length);
        Assert.InRange(bytes, 3 * 2048, 3 * 2048 * 2);

        FaceGallery gallery = set.ToGallery(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), out _);
        using (FaceModels models = FaceModels.LoadDefault())
        {
            FaceAnalysis probe = new FacePipeline(models).AnalyseFile(FaceWorld.Photo("angelina_jolie", "deepface_img6.jpg"), FacePipelineOptions.Gate);
            Assert.Equal(entitled, gallery.Identify(probe.Embedding!, new MatchPolicy()).MatchedIdentity);
        }

        // The seal leaves the cabinet: nobody is entitled at this gate any more.
        await _faces.MoveSealAsync(seal, "person", entitled);
        Assert.Empty((await sync.FetchAsync(CancellationToken.None)).Set.People);
        await _faces.MoveSealAsync(seal, "cabinet", cabinet + "/2");
        Assert.Single((await sync.FetchAsync(CancellationToken.None)).Set.People);

        // Revoked: gone at the next sync.
        Assert.Equal(HttpStatusCode.OK, (await _org.Admin.DeleteAsync($"/api/faces/{entitled}")).StatusCode);
        Assert.Empty((await sync.FetchAsync(CancellationToken.None)).Set.People);
    }

    [Fact]
    public async Task A_holder_bringing_a_seal_back_stays_on_the_gate_each_person_until_their_latest_window_and_deactivated_people_are_left_out()
    {
        await _org.EnsureRootAsync();
        string unit = await _org.UnitAsync(OrgWorld.Unique("return"), "hq");
        (string gate, byte[] key, string cabinet) = await GateAtCabinetAsync();
        string twice = await _org.UserAsync(OrgWorld.Unique("twice"), unit, "applicant");
        string holder = await _org.UserAsync(OrgWorld.Unique("holder"), unit, "applicant");
        string holderElsewhere = await _org.UserAsync(OrgWorld.Unique("away"), unit, "applicant");
        string deactivated = await _org.UserAsync(OrgWorld.Unique("gone"), unit, "applicant");
        await EnrolAsync(
            (twice, "katy_perry", new[] { "deepface_img26.jpg", "deepface_img27.jpg" }),
            (holder, "jack_dorsey", new[] { "deepface_img16.jpg", "deepface_img17.jpg" }),
            (holderElsewhere, "george_clooney", new[] { "deepface_img38.jpg", "deepface_img39.jpg" }),
            (deactivated, "scarlett_johansson", new[] { "deepface_img47.jpg", "deepface_img48.jpg" }));

        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string first = OrgWorld.Unique("seal");
        string second = OrgWorld.Unique("seal");
        string taken = OrgWorld.Unique("seal");
        string takenElsewhere = OrgWorld.Unique("seal");
        await _faces.SealInCabinetAsync(first, unit, cabinet, 1);
        await _faces.SealInCabinetAsync(second, unit, cabinet, 2);
        await _faces.SealInCabinetAsync(taken, unit, cabinet, 3);
        await _faces.SealInCabinetAsync(takenElsewhere, unit, "cab-far-away", 1);
        await _faces.ApplicationAsync(twice, unit, first, "approved", windowToMs: now + 3_600_000);
        await _faces.ApplicationAsync(twice, unit, second, "approved", windowToMs: now + 3 * 3_600_000);
        await _faces.ApplicationAsync(deactivated, unit, first, "approved");
        // Overdue: the window has ended, but the seal is still out and must be able to come back.
        await _faces.CheckedOutAsync(await _faces.ApplicationAsync(holder, unit, taken, "approved", windowToMs: now - 1000), taken, holder, cabinet, now - 1000);
        await _faces.CheckedOutAsync(await _faces.ApplicationAsync(holderElsewhere, unit, takenElsewhere, "approved", windowToMs: now - 1000), takenElsewhere, holderElsewhere, "cab-far-away", now - 1000);
        HttpResponseMessage off = await _org.Admin.PutAsJsonAsync($"/api/org/users/{deactivated}/active", new { active = false });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);

        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        (GateTemplateSet set, _) = await new TemplateSyncClient(_cloud.CreateClient(), gate, key, TimeProvider.System).FetchAsync(CancellationToken.None);
        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(new[] { holder, twice }.Order(StringComparer.Ordinal), set.People.Select(p => p.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(now + (3 * 3_600_000), set.People.Single(p => p.Subject == twice).ExpiresMs);
        long returnWindow = (long)GateTemplateService.ReturnWindow.TotalMilliseconds;
        Assert.InRange(set.People.Single(p => p.Subject == holder).ExpiresMs, before + returnWindow, after + returnWindow);
    }

    [Fact]
    public async Task The_templates_endpoint_answers_only_the_gate_itself_signed_with_its_current_key()
    {
        (string gate, byte[] key, _) = await GateAtCabinetAsync();
        HttpClient http = _cloud.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/api/gates/{gate}/templates")).StatusCode);

        byte[] wrongKey = (byte[])key.Clone();
        wrongKey[0] ^= 1;
        await Assert.ThrowsAsync<TemplateSyncException>(() => new TemplateSyncClient(http, gate, wrongKey, TimeProvider.System).FetchAsync(CancellationToken.None));

        string other = OrgWorld.Unique("gate");
        byte[] otherKey = await _cloud.ProvisionAsync(other, DeviceKind.Gate);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/gates/{gate}/templates");
        request.Headers.TryAddWithoutValidation("Authorization", DeviceRequestSignature.Header(other, otherKey, "GET", $"/api/gates/{gate}/templates", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);

        string lockId = OrgWorld.Unique("lock");
        byte[] lockKey = await _cloud.ProvisionAsync(lockId);
        await Assert.ThrowsAsync<TemplateSyncException>(() => new TemplateSyncClient(http, lockId, lockKey, TimeProvider.System).FetchAsync(CancellationToken.None));

        (GateTemplateSet set, _) = await new TemplateSyncClient(http, gate, key, TimeProvider.System).FetchAsync(CancellationToken.None);
        Assert.Empty(set.People);
    }

    [Fact]
    public async Task A_gate_placed_at_one_cabinet_cannot_claim_a_match_at_another()
    {
        (string gate, byte[] key, string cabinet) = await GateAtCabinetAsync();
        string other = OrgWorld.Unique("cab");
        await _cloud.ProvisionAsync(other, DeviceKind.Cabinet, compartments: 2);
        await using DeviceClient client = await DeviceClient.ConnectAsync(_cloud.MqttPort, gate, key);
        foreach (string target in new[] { other, cabinet })
        {
            await client.SendAsync(new SmartSeal.Protocol.Messages.FaceMatchBody { Subject = "nobody", CabinetId = target, Score = 8000, Margin = 3000, Liveness = 9900, Frames = 3, TemplateVersion = FaceRecipe.Version });
            await client.WaitForAckAsync(client.NextSeq - 1);
        }

        await using System.Data.Common.DbConnection connection = await _cloud.Service<SmartSeal.Cloud.Storage.Database>().OpenAsync();
        var rows = (await Dapper.SqlMapper.QueryAsync<(string Cabinet, bool Accepted, string? Reason)>(connection,
            "SELECT cabinet_id, accepted, reason FROM gate_decisions WHERE gate_id = @gate ORDER BY seq", new { gate })).ToArray();
        Assert.Equal([(other, false, $"gate stands at {cabinet}, not {other}"), (cabinet, true, null)], rows);
    }
}
