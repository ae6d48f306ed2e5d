using System.Data.Common;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>Photo uploads across a cloud restart, a photo store outage, and on the Azure Blob backend.</summary>
public sealed class PhotoResilienceTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    [Fact]
    public async Task A_cloud_restart_between_chunks_loses_nothing()
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "smartseal-photo-restart", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDirectory);
        var photo = new TestPhotoUpload(TestJpeg.Create(800, 600, seed: 6), "ph-att-restart-1", "att-restart");
        int half = photo.ChunkCount / 2;
        long nextSeq;
        byte[] key;
        try
        {
            await using (PhotoCloudFactory first = PhotoCloudFactory.With(dataDirectory))
            {
                _ = first.Server;
                key = await first.ProvisionAsync("lock-photo-restart");
                await using DeviceClient device = await DeviceClient.ConnectAsync(first.MqttPort, "lock-photo-restart", key);
                await device.SendAsync(photo.Manifest(key));
                for (int i = 0; i < half; i++)
                {
                    await device.SendAsync(photo.Chunk(i));
                }

                await device.WaitForAckAsync(device.NextSeq - 1);
                Assert.Equal(PhotoUploadStatus.Receiving, await StatusAsync(first, "lock-photo-restart", "ph-att-restart-1"));
                nextSeq = device.NextSeq;
                first.AssertNoErrors();
            }

            await using PhotoCloudFactory second = PhotoCloudFactory.With(dataDirectory);
            _ = second.Server;
            await using (DeviceClient device = await DeviceClient.ConnectAsync(second.MqttPort, "lock-photo-restart", key))
            {
                for (int i = half; i < photo.ChunkCount; i++)
                {
                    await device.SendAsync(photo.Chunk(i), seq: nextSeq++);
                }

                await device.WaitForAckAsync(nextSeq - 1);
            }

            Assert.Equal(PhotoUploadStatus.Stored, await StatusAsync(second, "lock-photo-restart", "ph-att-restart-1"));
            using HttpClient http = second.AdminClient();
            Assert.Equal(photo.Jpeg, await http.GetByteArrayAsync($"/api/photos/{PhotoHash.Of(photo.Jpeg)}"));
            second.AssertNoErrors();
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task A_complete_upload_the_store_refused_is_kept_and_stored_by_a_later_sweep()
    {
        string root = Path.Combine(Path.GetTempPath(), "smartseal-photo-failing", Guid.NewGuid().ToString("n"));
        var store = new FailingPhotoStore(root);
        try
        {
            await UploadDuringOutageAsync(store);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task UploadDuringOutageAsync(FailingPhotoStore store)
    {
        await using PhotoCloudFactory cloud = PhotoCloudFactory.With(services: s => s.AddSingleton<IPhotoStore>(store));
        _ = cloud.Server;
        byte[] key = await cloud.ProvisionAsync("lock-photo-outage");
        var photo = new TestPhotoUpload(TestJpeg.Create(640, 480, seed: 9), "ph-att-outage-1", "att-outage");
        await using (DeviceClient device = await DeviceClient.ConnectAsync(cloud.MqttPort, "lock-photo-outage", key))
        {
            // Acknowledged although the store is down: the parts are safe in the database.
            await device.WaitForAckAsync(await photo.SendAsync(device));
        }

        PhotoUploadSweeper sweeper = cloud.Service<PhotoUploadSweeper>();
        long later = DateTimeOffset.UtcNow.AddHours(7).ToUnixTimeMilliseconds();
        Assert.Equal((0, 0), await sweeper.SweepAsync(later)); // past the timeout, but complete uploads never expire
        Assert.Equal(PhotoUploadStatus.Receiving, await StatusAsync(cloud, "lock-photo-outage", "ph-att-outage-1"));

        store.Failing = false;
        Assert.Equal((0, 1), await sweeper.SweepAsync(later));

        Assert.Equal(PhotoUploadStatus.Stored, await StatusAsync(cloud, "lock-photo-outage", "ph-att-outage-1"));
        Assert.True(await store.ExistsAsync(PhotoHash.Of(photo.Jpeg), PhotoVariant.Original, default));
        cloud.AssertNoErrors();
    }

    [AzuriteFact]
    public async Task Photos_round_trip_through_the_host_on_the_azure_blob_backend()
    {
        await using PhotoCloudFactory cloud = PhotoCloudFactory.With(settings: new Dictionary<string, string?>
        {
            ["SmartSeal:Photos:Provider"] = "AzureBlob",
            ["SmartSeal:Photos:ConnectionString"] = azurite.ConnectionString,
            ["SmartSeal:Photos:Container"] = "photos-host-" + Guid.NewGuid().ToString("n")[..8],
        });
        _ = cloud.Server;
        // The configured backend, behind the ledger-retention guard (Reports/RetentionGuardedPhotoStore).
        Assert.IsType<AzureBlobPhotoStore>(Assert.IsType<SmartSeal.Cloud.Reports.RetentionGuardedPhotoStore>(cloud.Service<IPhotoStore>()).Inner);
        byte[] key = await cloud.ProvisionAsync("lock-photo-blob");
        var photo = new TestPhotoUpload(TestJpeg.Create(1024, 768, seed: 10), "ph-att-blob-1", "att-blob");
        await using (DeviceClient device = await DeviceClient.ConnectAsync(cloud.MqttPort, "lock-photo-blob", key))
        {
            await device.WaitForAckAsync(await photo.SendAsync(device));
        }

        string sha256 = PhotoHash.Of(photo.Jpeg);
        using HttpClient http = cloud.AdminClient();
        Assert.Equal(photo.Jpeg, await http.GetByteArrayAsync($"/api/photos/{sha256}"));
        Assert.Equal((320, 240), TestJpeg.SizeOf(await http.GetByteArrayAsync($"/api/photos/{sha256}/thumbnail")));
        cloud.AssertNoErrors();
    }

    private static async Task<string?> StatusAsync(CloudFactory cloud, string deviceId, string photoId)
    {
        await using DbConnection connection = await cloud.Service<Database>().OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<string>("SELECT status FROM photo_uploads WHERE device_id = @deviceId AND photo_id = @photoId", new { deviceId, photoId });
    }
}
