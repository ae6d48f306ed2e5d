using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Gate;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.FaceRecognition;

namespace SmartSeal.Cloud.Tests.Faces;

/// <summary>Enrolment through the API: quality checks naming the photo, encryption at rest, scope, revocation, ledger.</summary>
public class FaceEnrolmentTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;
    private readonly OrgWorld _org;

    public FaceEnrolmentTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    private static string Angelina(string file) => FaceWorld.Photo("angelina_jolie", file);

    private async Task<(string Unit, HttpClient Keeper, string Person)> PeopleAsync()
    {
        await _org.EnsureRootAsync();
        string unit = await _org.UnitAsync(OrgWorld.Unique("fe"), "hq");
        string keeper = await _org.UserAsync(OrgWorld.Unique("keeper"), unit, "keeper");
        string person = await _org.UserAsync(OrgWorld.Unique("person"), unit, "applicant");
        return (unit, await _org.SignInAsync(keeper), person);
    }

    [Fact]
    public async Task A_keeper_enrols_a_person_from_several_photos_and_the_templates_are_stored_encrypted_with_the_recipe()
    {
        (string unit, HttpClient keeper, string person) = await PeopleAsync();
        HttpResponseMessage response = await FaceWorld.EnrolAsync(keeper, person, Angelina("deepface_img1.jpg"), Angelina("deepface_img10.jpg"), Angelina("deepface_img11.jpg"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        JsonElement created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, created.GetProperty("enrolment").GetProperty("templates").GetInt32());
        Assert.Equal(FaceRecipe.Version, created.GetProperty("enrolment").GetProperty("recipe").GetString());

        JsonElement read = await keeper.GetFromJsonAsync<JsonElement>($"/api/faces/{person}");
        Assert.True(read.GetProperty("currentRecipe").GetBoolean());
        Assert.False(read.TryGetProperty("sealed", out _));

        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        byte[] sealedBytes = await connection.QuerySingleAsync<byte[]>("SELECT sealed FROM face_enrolments WHERE login = @person AND revoked_ms IS NULL", new { person });
        var cipher = new FaceTemplateCipher(new MasterKey(CloudFactory.MasterKey));
        byte[] plain = cipher.Open(sealedBytes, person, FaceRecipe.Version);
        Assert.Equal(3 * 2048, plain.Length);
        Assert.Equal(-1, sealedBytes.AsSpan().IndexOf(plain.AsSpan(0, 32)));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(sealedBytes, "someone.else", FaceRecipe.Version));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(sealedBytes, person, "another-recipe"));

        long ledgered = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_entries WHERE seal_id = @chain AND payload LIKE @action", new { chain = "org:" + unit, action = "%face-enrolled%" });
        Assert.Equal(1, ledgered);
    }

    [Fact]
    public async Task A_photo_without_exactly_one_good_face_or_of_someone_else_is_refused_by_name()
    {
        (_, HttpClient keeper, string person) = await PeopleAsync();
        HttpResponseMessage twoFaces = await FaceWorld.EnrolAsync(keeper, person, Angelina("deepface_img1.jpg"), FaceWorld.Photo(".", "two_people.jpg"));
        JsonElement problem = await OrgWorld.AssertProblemAsync(twoFaces, HttpStatusCode.BadRequest, "two_people.jpg");
        Assert.Contains("several-faces", problem.GetProperty("errors").GetProperty("two_people.jpg")[0].GetString());

        HttpResponseMessage stranger = await FaceWorld.EnrolAsync(keeper, person, Angelina("deepface_img1.jpg"), Angelina("deepface_img10.jpg"), FaceWorld.Photo("scarlett_johansson", "deepface_img47.jpg"));
        problem = await OrgWorld.AssertProblemAsync(stranger, HttpStatusCode.BadRequest, "deepface_img47.jpg");
        Assert.Contains("not-the-same-person", problem.GetProperty("errors").GetProperty("deepface_img47.jpg")[0].GetString());
        Assert.False(problem.GetProperty("errors").TryGetProperty("deepface_img1.jpg", out _));

        string junk = Path.Combine(Path.GetTempPath(), "not-a-photo.jpg");
        await File.WriteAllTextAsync(junk, "not a jpeg");
        HttpResponseMessage corrupt = await FaceWorld.EnrolAsync(keeper, person, Angelina("deepface_img1.jpg"), junk);
        await OrgWorld.AssertProblemAsync(corrupt, HttpStatusCode.BadRequest, "not-a-photo.jpg");

        HttpResponseMessage single = await FaceWorld.EnrolAsync(keeper, person, Angelina("deepface_img1.jpg"));
        await OrgWorld.AssertProblemAsync(single, HttpStatusCode.BadRequest, "photos");
        Assert.Equal(HttpStatusCode.NotFound, (await keeper.GetAsync($"/api/faces/{person}")).StatusCode);
    }

    [Fact]
    public async Task Only_keepers_of_the_persons_units_enrol_and_a_revoked_enrolment_is_gone()
    {
        (_, HttpClient keeper, string person) = await PeopleAsync();
        HttpClient applicant = await _org.SignInAsync(person);
        Assert.Equal(HttpStatusCode.Forbidden, (await FaceWorld.EnrolAsync(applicant, person, Angelina("deepface_img1.jpg"), Angelina("deepface_img2.jpg"))).StatusCode);

        string otherUnit = await _org.UnitAsync(OrgWorld.Unique("fe"), "hq");
        HttpClient otherKeeper = await _org.SignInAsync(await _org.UserAsync(OrgWorld.Unique("keeper"), otherUnit, "keeper"));
        await OrgWorld.AssertProblemAsync(await FaceWorld.EnrolAsync(otherKeeper, person, Angelina("deepface_img1.jpg"), Angelina("deepface_img2.jpg")), HttpStatusCode.NotFound, person);

        Assert.Equal(HttpStatusCode.Created, (await FaceWorld.EnrolAsync(keeper, person, Angelina("deepface_img1.jpg"), Angelina("deepface_img2.jpg"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await FaceWorld.EnrolAsync(_org.Admin, person, Angelina("deepface_img4.jpg"), Angelina("deepface_img5.jpg"))).StatusCode);
        await using (DbConnection connection = await _cloud.Service<Database>().OpenAsync())
        {
            Assert.Equal((2L, 1L), await connection.QuerySingleAsync<(long, long)>(
                "SELECT COUNT(*), SUM(CASE WHEN revoked_ms IS NULL THEN 1 ELSE 0 END) FROM face_enrolments WHERE login = @person", new { person }));
        }

        Assert.Equal(HttpStatusCode.OK, (await keeper.DeleteAsync($"/api/faces/{person}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await keeper.GetAsync($"/api/faces/{person}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await keeper.DeleteAsync($"/api/faces/{person}")).StatusCode);
    }
}
