using System.Net;
using System.Net.Http.Json;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.EdgeFaceGate.Templates;
using SmartSeal.FaceRecognition.Templates;

namespace SmartSeal.Cloud.Tests.Faces;

/// <summary>The face SQL (keeper scope, enrolment rows, gate cabinet upsert, the sync filter, revocation) on PostgreSQL.</summary>
public sealed class FacesOnPostgresTests(ITestOutputHelper output) : PostgresHostTest(output)
{
    [Fact]
    public async Task On_PostgreSQL_a_keeper_enrols_the_gate_syncs_only_the_entitled_person_and_revocation_empties_it()
    {
        if (Cloud is null)
        {
            return;
        }

        var org = new OrgWorld(Cloud);
        var faces = new FaceWorld(Cloud);
        await org.EnsureRootAsync();
        string province = await org.UnitAsync("gd", "hq");
        string city = await org.UnitAsync("gd-sz", province);
        HttpClient keeper = await org.SignInAsync(await org.UserAsync("keeper.f", province, "keeper"));
        string entitled = await org.UserAsync("entitled.f", city, "applicant");
        string pending = await org.UserAsync("pending.f", city, "applicant");
        foreach ((string login, string person) in new[] { (entitled, "angelina_jolie"), (pending, "katy_perry") })
        {
            string[] files = person == "angelina_jolie" ? ["deepface_img1.jpg", "deepface_img10.jpg"] : ["deepface_img26.jpg", "deepface_img27.jpg"];
            HttpResponseMessage enrolled = await FaceWorld.EnrolAsync(keeper, login, files.Select(f => FaceWorld.Photo(person, f)).ToArray());
            Assert.True(enrolled.StatusCode == HttpStatusCode.Created, await enrolled.Content.ReadAsStringAsync());
        }

        await Cloud.ProvisionAsync("cab-pg-01", DeviceKind.Cabinet, compartments: 4);
        byte[] key = await Cloud.ProvisionAsync("gate-pg-01", DeviceKind.Gate);
        Assert.Equal(HttpStatusCode.OK, (await org.Admin.PutAsJsonAsync("/api/gates/gate-pg-01/cabinet", new { cabinetId = "cab-pg-01" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await org.Admin.PutAsJsonAsync("/api/gates/gate-pg-01/cabinet", new { cabinetId = "cab-pg-01" })).StatusCode);
        await faces.SealInCabinetAsync("seal-pg-01", province, "cab-pg-01", 1);
        await faces.ApplicationAsync(entitled, city, "seal-pg-01", "approved");
        await faces.ApplicationAsync(pending, city, "seal-pg-01", "pending");

        var sync = new TemplateSyncClient(Cloud.CreateClient(), "gate-pg-01", key, TimeProvider.System);
        GatePerson synced = Assert.Single((await sync.FetchAsync(CancellationToken.None)).Set.People);
        Assert.Equal((entitled, 2), (synced.Subject, synced.Templates.Length));

        Assert.Equal(HttpStatusCode.OK, (await keeper.DeleteAsync($"/api/faces/{entitled}")).StatusCode);
        Assert.Empty((await sync.FetchAsync(CancellationToken.None)).Set.People);
    }
}
