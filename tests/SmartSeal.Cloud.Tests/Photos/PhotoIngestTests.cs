using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Dapper;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Topics;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>Devices send real JPEGs over MQTT in chunks; the cloud assembles, checks, stores and serves them.</summary>
public class PhotoIngestTests : CloudTest<PhotoCloudFactory>
{
    private readonly PhotoCloudFactory _cloud;

    public PhotoIngestTests(PhotoCloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
    }

    [Fact]
    public async Task A_photo_sent_in_chunks_is_stored_once_under_its_hash_and_served_with_a_thumbnail()
    {
        byte[] keyA = await _cloud.ProvisionAsync("lock-photo-a");
        byte[] keyB = await _cloud.ProvisionAsync("lock-photo-b");
        await using DeviceClient a = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-photo-a", keyA);
        await using DeviceClient b = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-photo-b", keyB);
        var photo = new TestPhotoUpload(TestJpeg.Create(800, 600, seed: 1), "ph-att-rt-1", "att-rt");
        Assert.True(photo.ChunkCount > 5, $"the test photo should need several chunks, has {photo.ChunkCount}");

        await a.WaitForAckAsync(await photo.SendAsync(a));
        // The same picture from another device (or under another photo id): one object, two references.
        await b.WaitForAckAsync(await new TestPhotoUpload(photo.Jpeg, "ph-att-rt-9", "att-rt").SendAsync(b));

        string sha256 = PhotoHash.Of(photo.Jpeg);
        Assert.Equal(PhotoUploadStatus.Stored, await UploadStatusAsync("lock-photo-a", "ph-att-rt-1"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT COUNT(*) FROM photos WHERE sha256 = @sha256", new { sha256 }));
        Assert.Equal((long)photo.Jpeg.Length, await ScalarAsync<long>("SELECT bytes FROM photos WHERE sha256 = @sha256", new { sha256 }));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT COUNT(*) FROM photo_refs WHERE sha256 = @sha256", new { sha256 }));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM photo_chunks WHERE photo_id IN ('ph-att-rt-1', 'ph-att-rt-9')"));

        using HttpClient http = _cloud.AdminClient();
        using HttpResponseMessage original = await http.GetAsync($"/api/photos/{sha256}");
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal("image/jpeg", original.Content.Headers.ContentType?.MediaType);
        Assert.Equal(photo.Jpeg, await original.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{sha256}\"", original.Headers.ETag?.Tag);
        Assert.Contains("immutable", original.Headers.CacheControl?.ToString());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/photos/{sha256}");
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{sha256}\""));
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(conditional)).StatusCode);

        using HttpResponseMessage thumbnail = await http.GetAsync($"/api/photos/{sha256}/thumbnail");
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        byte[] small = await thumbnail.Content.ReadAsByteArrayAsync();
        Assert.Equal((320, 240), TestJpeg.SizeOf(small));
        Assert.True(await _cloud.Service<IPhotoStore>().ExistsAsync(sha256, PhotoVariant.Thumbnail, default), "the thumbnail is kept after the first request");
        Assert.Equal(small, await http.GetByteArrayAsync($"/api/photos/{sha256}/thumbnail"));

        PhotoView? view = await http.GetFromJsonAsync<PhotoView>("/api/photos/devices/lock-photo-a/ph-att-rt-1");
        Assert.Equal(new PhotoView("lock-photo-a", "ph-att-rt-1", sha256, "before", "att-rt", photo.Jpeg.Length, view!.DeviceMs, view.ServerMs), view);
        PhotoView[]? attempt = await http.GetFromJsonAsync<PhotoView[]>("/api/photos/attempts/att-rt");
        Assert.Equal(["lock-photo-a", "lock-photo-b"], attempt!.Select(p => p.DeviceId).Order());
    }

    [Fact]
    public async Task Chunks_out_of_order_repeated_and_before_their_manifest_still_make_one_photo()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-photo-order");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-photo-order", key);
        var photo = new TestPhotoUpload(TestJpeg.Create(640, 480, seed: 2), "ph-att-order-1", "att-order");
        string topic = DeviceTopics.For("lock-photo-order", TopicKind.Photos);
        byte[] manifest = device.Sign(photo.Manifest(key));
        List<byte[]> chunks = Enumerable.Range(0, photo.ChunkCount).Select(i => device.Sign(photo.Chunk(i))).ToList();
        byte[] chunkZeroAgain = device.Sign(photo.Chunk(0)); // re-sent under a new seq (same bytes)

        // Chunks last-to-first, each delivered twice (QoS 1 redelivery), then the manifest, then a re-send.
        for (int i = chunks.Count - 1; i >= 0; i--)
        {
            await device.PublishAsync(topic, chunks[i]);
            await device.PublishAsync(topic, chunks[i]);
        }

        await device.PublishAsync(topic, manifest);
        await device.PublishAsync(topic, chunkZeroAgain);
        await device.WaitForAckAsync(device.NextSeq - 1);

        Assert.Equal(PhotoUploadStatus.Stored, await UploadStatusAsync("lock-photo-order", "ph-att-order-1"));
        Assert.Equal(PhotoHash.Of(photo.Jpeg), await ScalarAsync<string>("SELECT sha256 FROM photo_refs WHERE device_id = 'lock-photo-order' AND photo_id = 'ph-att-order-1'"));
        Assert.Equal(photo.Jpeg, await ReadStoredAsync(PhotoHash.Of(photo.Jpeg)));
        Assert.Equal(0L, await RefusalsAsync("lock-photo-order"));
    }

    [Fact]
    public async Task An_upload_that_never_finishes_expires_with_a_record_and_an_alarm()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-photo-stuck");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-photo-stuck", key);
        var photo = new TestPhotoUpload(TestJpeg.Create(640, 480, seed: 3), "ph-att-stuck-1", "att-stuck");
        await device.SendAsync(photo.Manifest(key));
        await device.SendAsync(photo.Chunk(0));
        await device.SendAsync(photo.Chunk(1));
        await device.WaitForAckAsync(device.NextSeq - 1);
        PhotoUploadSweeper sweeper = _cloud.Service<PhotoUploadSweeper>();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await sweeper.SweepAsync(now);
        Assert.Equal(PhotoUploadStatus.Receiving, await UploadStatusAsync("lock-photo-stuck", "ph-att-stuck-1"));

        (int expired, _) = await sweeper.SweepAsync(now + (long)TimeSpan.FromHours(6).TotalMilliseconds + 60_000);

        Assert.True(expired >= 1);
        Assert.Equal(PhotoUploadStatus.Expired, await UploadStatusAsync("lock-photo-stuck", "ph-att-stuck-1"));
        Assert.Equal(1L, await RefusalsAsync("lock-photo-stuck", PhotoRefusals.Incomplete));
        Assert.Equal("warning", await ActiveAlarmSeverityAsync("lock-photo-stuck", "photo-incomplete"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM photo_chunks WHERE device_id = 'lock-photo-stuck'"));

        // The rest arriving late changes nothing: the upload stays closed, nothing is stored.
        for (int i = 2; i < photo.ChunkCount; i++)
        {
            await device.SendAsync(photo.Chunk(i));
        }

        await device.WaitForAckAsync(device.NextSeq - 1);
        Assert.Equal(PhotoUploadStatus.Expired, await UploadStatusAsync("lock-photo-stuck", "ph-att-stuck-1"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM photo_refs WHERE device_id = 'lock-photo-stuck'"));
        Assert.False(await _cloud.Service<IPhotoStore>().ExistsAsync(PhotoHash.Of(photo.Jpeg), PhotoVariant.Original, default));
    }

    [Fact]
    public async Task A_photo_whose_hmac_does_not_verify_is_refused_with_a_forgery_alarm_and_nothing_is_stored()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-photo-forged");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-photo-forged", key);
        var photo = new TestPhotoUpload(TestJpeg.Create(640, 480, seed: 4), "ph-att-forged-1", "att-forged");
        byte[] wrongKey = DeviceKeys.Derive(CloudFactory.MasterKey, "lock-photo-forged", 7);

        // Envelopes are genuine (the device's key); the photo MAC is not: a swapped picture.
        await device.SendAsync(photo.Manifest(wrongKey));
        for (int i = 0; i < photo.ChunkCount; i++)
        {
            await device.SendAsync(photo.Chunk(i));
        }

        await device.WaitForAckAsync(device.NextSeq - 1);

        Assert.Equal(PhotoUploadStatus.Refused, await UploadStatusAsync("lock-photo-forged", "ph-att-forged-1"));
        Assert.Equal(1L, await RefusalsAsync("lock-photo-forged", PhotoRefusals.MacMismatch));
        Assert.Equal("critical", await ActiveAlarmSeverityAsync("lock-photo-forged", "forged-message"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM photo_refs WHERE device_id = 'lock-photo-forged'"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM photos WHERE sha256 = @sha", new { sha = PhotoHash.Of(photo.Jpeg) }));
        Assert.False(await _cloud.Service<IPhotoStore>().ExistsAsync(PhotoHash.Of(photo.Jpeg), PhotoVariant.Original, default));
    }

    [Fact]
    public async Task A_signed_upload_that_is_not_a_jpeg_is_refused()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-photo-notjpeg");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-photo-notjpeg", key);
        byte[] png = new byte[10_000];
        new Random(5).NextBytes(png);
        png[0] = 0x89; // PNG-ish start, no JPEG markers
        var photo = new TestPhotoUpload(png, "ph-att-notjpeg-1", "att-notjpeg");

        await device.WaitForAckAsync(await photo.SendAsync(device));

        Assert.Equal(PhotoUploadStatus.Refused, await UploadStatusAsync("lock-photo-notjpeg", "ph-att-notjpeg-1"));
        Assert.Equal(1L, await RefusalsAsync("lock-photo-notjpeg", PhotoRefusals.NotJpeg));
        Assert.Equal("warning", await ActiveAlarmSeverityAsync("lock-photo-notjpeg", "photo-refused"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM photos WHERE sha256 = @sha", new { sha = PhotoHash.Of(png) }));
    }

    [Fact]
    public async Task An_oversized_manifest_is_refused_and_its_chunks_are_not_kept()
    {
        byte[] key = await _cloud.ProvisionAsync("lock-photo-big");
        await using DeviceClient device = await DeviceClient.ConnectAsync(_cloud.MqttPort, "lock-photo-big", key);
        const int size = PhotoCloudFactory.MaxPhotoBytes + 4096;
        var manifest = new PhotoManifestBody
        {
            PhotoId = "ph-att-big-1", Purpose = PhotoPurpose.After, AttemptId = "att-big", Size = size, ChunkSize = 4096,
            ChunkCount = size / 4096, Mac = new byte[Mac.Length],
        };

        await device.SendAsync(manifest);
        await device.SendAsync(new PhotoChunkBody { PhotoId = "ph-att-big-1", Index = 0, Data = new byte[4096] });
        await device.WaitForAckAsync(device.NextSeq - 1);

        Assert.Equal(PhotoUploadStatus.Refused, await UploadStatusAsync("lock-photo-big", "ph-att-big-1"));
        Assert.Equal(1L, await RefusalsAsync("lock-photo-big", PhotoRefusals.TooLarge));
        Assert.Equal("warning", await ActiveAlarmSeverityAsync("lock-photo-big", "photo-refused"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM photo_chunks WHERE device_id = 'lock-photo-big'"));

        // Beyond the protocol's own 2 MiB limit the manifest does not even decode: refused at verify, never acknowledged.
        string over = System.Text.Encoding.UTF8.GetString(MessageCodec.EncodeBody(manifest)).Replace($"\"size\":{size}", "\"size\":3000000", StringComparison.Ordinal);
        Assert.Contains("3000000", over);
        long seq = device.NextSeq;
        var envelope = new SmartSeal.Protocol.Envelopes.Envelope { DeviceId = "lock-photo-big", Seq = seq, Time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Type = MessageTypes.PhotoManifest, Id = string.Empty };
        envelope.SetBody(System.Text.Encoding.UTF8.GetBytes(over));
        long refusedBefore = await RefusalsAsync("lock-photo-big");
        await device.PublishAsync(DeviceTopics.For("lock-photo-big", TopicKind.Photos), SmartSeal.Protocol.Envelopes.EnvelopeCodec.Encode(envelope, key));
        await WaitUntilAsync(async () => await RefusalsAsync("lock-photo-big") > refusedBefore);
        Assert.DoesNotContain(seq, device.AcknowledgedSeqs());
        Assert.Equal(0L, await ScalarAsync<long>("SELECT COUNT(*) FROM device_messages WHERE device_id = 'lock-photo-big' AND seq = @seq", new { seq }));
    }

    [Fact]
    public async Task The_api_answers_problem_details_for_malformed_and_unknown_hashes_and_needs_a_login()
    {
        using HttpClient http = _cloud.AdminClient();
        string unknown = PhotoHash.Of([9, 9, 9]);

        using HttpResponseMessage malformed = await http.GetAsync("/api/photos/not-a-hash");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("sha256", await malformed.Content.ReadAsStringAsync());

        foreach (string path in new[] { $"/api/photos/{unknown}", $"/api/photos/{unknown}/thumbnail", "/api/photos/devices/lock-none/ph-none" })
        {
            using HttpResponseMessage missing = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        }

        Assert.Empty((await http.GetFromJsonAsync<PhotoView[]>("/api/photos/attempts/att-none"))!);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/photos/uploads")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _cloud.CreateClient().GetAsync($"/api/photos/{unknown}")).StatusCode);
    }

    private async Task<string?> UploadStatusAsync(string deviceId, string photoId)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<string>("SELECT status FROM photo_uploads WHERE device_id = @deviceId AND photo_id = @photoId", new { deviceId, photoId });
    }

    private Task<long> RefusalsAsync(string deviceId, string? reason = null) =>
        ScalarAsync<long>("SELECT COUNT(*) FROM refused_messages WHERE device_id = @deviceId AND (@reason IS NULL OR reason = @reason)", new { deviceId, reason });

    private async Task<string?> ActiveAlarmSeverityAsync(string deviceId, string type)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<string>("SELECT severity FROM alarms WHERE device_id = @deviceId AND type = @type AND active", new { deviceId, type });
    }

    private async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using DbConnection connection = await _cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("no result: " + sql);
    }

    private async Task<byte[]> ReadStoredAsync(string sha256)
    {
        await using Stream? stream = await _cloud.Service<IPhotoStore>().OpenReadAsync(sha256, PhotoVariant.Original, default);
        Assert.NotNull(stream);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Eventually.Async(condition, "the condition is met", TimeSpan.FromSeconds(10));
}
