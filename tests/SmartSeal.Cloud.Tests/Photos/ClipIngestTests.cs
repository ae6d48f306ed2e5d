using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Checkouts;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Cloud.Tests.Organisation;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>
/// Stamping video (issue 19 item 6): a cabinet sends a real MP4 clip of a hand-over like a photo
/// (chunks, device-key MAC, content-addressed), and the dispense's ledger evidence lists it beside
/// the hand-over photo; a clip that is not an MP4 is refused with its reason and an alarm.
/// </summary>
public class ClipIngestTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;
    private readonly OrgWorld _org;

    public ClipIngestTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    [Fact]
    public async Task A_hand_over_clip_is_stored_by_hash_served_as_video_and_listed_beside_the_photo_in_the_dispense_evidence()
    {
        await HandOverClipAsync(_cloud, _org);
        _cloud.AssertNoErrors();
    }

    /// <summary>The hand-over with its clip, checked end to end; shared with <see cref="ClipsOnPostgresTests"/> and the portal's entry test. Returns the seal office, the dispense's ledger entry id and the clip's hash.</summary>
    public static async Task<(SealOffice Office, long EntryId, string ClipSha256)> HandOverClipAsync(CloudFactory cloud, OrgWorld org)
    {
        await using SpokenCabinet cabinet = await SpokenCabinet.ConnectAsync(cloud, OrgWorld.Unique("cab"));
        SealOffice office = await SealOffice.CreateAsync(org);
        await cabinet.StowAsync(office, compartment: 1);
        (_, string token, int compartment) = await SpokenCabinet.DispenseAsync(office);

        // What the cabinet core sends: the hand-over photo and the clip under the token's attempt, then the dispense naming the photo.
        var photo = new TestPhotoUpload(TestJpeg.Create(320, 240, seed: 19), $"ph-{token}-1", token, PhotoPurpose.Handover);
        byte[] mp4 = await TestClip.RecordAsync();
        var clip = new TestPhotoUpload(mp4, $"vid-{token}", token, PhotoPurpose.Handover, MediaKind.Mp4);
        await photo.SendAsync(cabinet.Device);
        await clip.SendAsync(cabinet.Device);
        await cabinet.SendAndWaitAsync(new DispensedBody { Compartment = compartment, SealId = office.SealId, TagId = office.Tag, TokenId = token, PhotoId = photo.PhotoId });

        string sha256 = PhotoHash.Of(mp4);
        await using (DbConnection connection = await cloud.Service<Database>().OpenAsync())
        {
            Assert.Equal(PhotoMedia.Mp4, await connection.QuerySingleAsync<string>("SELECT media FROM photos WHERE sha256 = @sha256", new { sha256 }));
            Assert.Equal(PhotoMedia.Jpeg, await connection.QuerySingleAsync<string>("SELECT media FROM photos WHERE sha256 = @sha", new { sha = PhotoHash.Of(photo.Jpeg) }));
        }

        JsonElement dispense = (await org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger?seal={office.SealId}")).EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "dispense");
        JsonElement evidence = await org.Admin.GetFromJsonAsync<JsonElement>($"/api/ledger/{dispense.GetProperty("id").GetInt64()}/evidence");
        Assert.Equal(token, evidence.GetProperty("attemptId").GetString());
        var shown = evidence.GetProperty("photos").EnumerateArray().Select(p => (Id: p.GetProperty("photoId").GetString(), Media: p.GetProperty("media").GetString(), Clip: p.GetProperty("isClip").GetBoolean())).OrderBy(p => p.Id).ToList();
        Assert.Equal([(photo.PhotoId, "jpeg", false), (clip.PhotoId, "mp4", true)], shown);

        using HttpResponseMessage whole = await org.Admin.GetAsync($"/api/photos/{sha256}");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("video/mp4", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(mp4, await whole.Content.ReadAsByteArrayAsync());
        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{sha256}");
        range.Headers.Range = new RangeHeaderValue(0, 99);
        using HttpResponseMessage part = await org.Admin.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode); // a player seeks with ranges
        Assert.Equal(mp4[..100], await part.Content.ReadAsByteArrayAsync());
        return (office, dispense.GetProperty("id").GetInt64(), sha256);
    }

    [Fact]
    public async Task A_clip_that_is_not_an_mp4_is_refused_with_its_reason_and_an_alarm()
    {
        await using SpokenCabinet cabinet = await SpokenCabinet.ConnectAsync(_cloud, OrgWorld.Unique("cab"));
        byte[] jpeg = TestJpeg.Create(160, 120, seed: 20);
        var fake = new TestPhotoUpload(jpeg, "vid-att-fake", "att-fake", PhotoPurpose.Handover, MediaKind.Mp4);
        await cabinet.Device.WaitForAckAsync(await fake.SendAsync(cabinet.Device));

        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        Assert.Equal(
            (PhotoUploadStatus.Refused, PhotoRefusals.NotMp4),
            await connection.QuerySingleAsync<(string, string)>("SELECT status, reason FROM photo_uploads WHERE device_id = @id AND photo_id = 'vid-att-fake'", new { id = cabinet.Id }));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alarms WHERE device_id = @id AND type = 'photo-refused' AND active", new { id = cabinet.Id }));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM photos WHERE sha256 = @sha", new { sha = PhotoHash.Of(jpeg) }));
    }
}
