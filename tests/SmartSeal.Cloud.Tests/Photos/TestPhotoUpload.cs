using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>
/// A photo as a device sends it (the protocol's <see cref="PhotoChunker"/>, 4 KiB chunks like the
/// firmware's DeviceReporter), with the parts signed by the test device so tests can send them in
/// any order, repeat them, leave some out, or lie in the manifest.
/// </summary>
public sealed class TestPhotoUpload
{
    public const int ChunkBytes = 4096;

    private readonly PhotoChunker _chunker;

    public TestPhotoUpload(byte[] jpeg, string photoId, string? attemptId = "att-1", PhotoPurpose purpose = PhotoPurpose.Before, MediaKind media = MediaKind.Jpeg)
    {
        Media = media;
        Jpeg = jpeg;
        PhotoId = photoId;
        AttemptId = attemptId;
        Purpose = purpose;
        _chunker = new PhotoChunker(jpeg, ChunkBytes, photoId);
    }

    public byte[] Jpeg { get; }

    public string PhotoId { get; }

    public string? AttemptId { get; }

    public PhotoPurpose Purpose { get; }

    /// <summary>A JPEG still, or an MP4 stamping-video clip.</summary>
    public MediaKind Media { get; }

    public int ChunkCount => _chunker.ChunkCount;

    /// <summary>The manifest with the MAC under <paramref name="macKey"/> (the device's own key for an honest one).</summary>
    public PhotoManifestBody Manifest(byte[] macKey) => _chunker.Manifest(Purpose, AttemptId!, macKey, Media);

    public PhotoChunkBody Chunk(int index) => _chunker.Chunk(index);

    /// <summary>Manifest then every chunk in order, as the firmware does; returns the last seq.</summary>
    public async Task<long> SendAsync(DeviceClient device)
    {
        await device.SendAsync(Manifest(device.Key));
        for (int i = 0; i < ChunkCount; i++)
        {
            await device.SendAsync(Chunk(i));
        }

        return device.NextSeq - 1;
    }
}
