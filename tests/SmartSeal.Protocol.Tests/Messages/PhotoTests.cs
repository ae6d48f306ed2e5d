using SmartSeal.Protocol;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Protocol.Tests.Messages;

public class PhotoTests
{
    private static readonly byte[] Key = TestKeys.Device("lock-0001");

    private static byte[] Jpeg(int size)
    {
        var random = new Random(size);
        byte[] jpeg = new byte[size];
        random.NextBytes(jpeg);
        jpeg[0] = 0xFF;
        jpeg[1] = 0xD8;
        return jpeg;
    }

    [Fact]
    public void A_photo_survives_chunking_in_any_order_with_duplicates()
    {
        byte[] jpeg = Jpeg(20_000);
        var chunker = new PhotoChunker(jpeg, 4096, "ph-1");
        PhotoManifestBody manifest = chunker.Manifest(PhotoPurpose.Before, "att-1", Key);
        Assert.Equal(5, manifest.ChunkCount);

        var assembler = new PhotoAssembler(manifest, Key);
        int[] order = { 4, 0, 2, 2, 3, 1 };
        var states = order.Select(i => assembler.Add(chunker.Chunk(i))).ToList();
        Assert.Equal(new[] { PhotoAssemblyState.Incomplete, PhotoAssemblyState.Incomplete, PhotoAssemblyState.Incomplete, PhotoAssemblyState.Duplicate, PhotoAssemblyState.Incomplete, PhotoAssemblyState.Complete }, states);
        Assert.Equal(jpeg, assembler.Photo);
    }

    [Fact]
    public void Tampered_missing_conflicting_and_foreign_chunks_are_caught()
    {
        byte[] jpeg = Jpeg(9000);
        var chunker = new PhotoChunker(jpeg, 4096, "ph-2");
        var assembler = new PhotoAssembler(chunker.Manifest(PhotoPurpose.After, "att-1", Key), Key);

        PhotoChunkBody tampered = chunker.Chunk(1);
        tampered.Data[10] ^= 0x01;
        Assert.Equal(PhotoAssemblyState.Incomplete, assembler.Add(chunker.Chunk(0)));
        Assert.Equal(PhotoAssemblyState.Incomplete, assembler.Add(tampered));
        Assert.Equal(PhotoAssemblyState.ConflictingChunk, assembler.Add(chunker.Chunk(1)));
        Assert.Equal(1, assembler.MissingChunks);
        Assert.False(assembler.IsComplete);
        Assert.Equal(PhotoAssemblyState.MacMismatch, assembler.Add(chunker.Chunk(2)));

        PhotoChunkBody foreign = chunker.Chunk(0);
        foreign.PhotoId = "ph-other";
        Assert.Equal(PhotoAssemblyState.BadChunk, new PhotoAssembler(chunker.Manifest(PhotoPurpose.After, null!, Key), Key).Add(foreign));
        PhotoChunkBody outOfRange = chunker.Chunk(0);
        outOfRange.Index = 3;
        Assert.Equal(PhotoAssemblyState.BadChunk, new PhotoAssembler(chunker.Manifest(PhotoPurpose.After, null!, Key), Key).Add(outOfRange));
        PhotoChunkBody shortChunk = chunker.Chunk(0);
        shortChunk.Data = shortChunk.Data[..100];
        Assert.Equal(PhotoAssemblyState.BadChunk, new PhotoAssembler(chunker.Manifest(PhotoPurpose.After, null!, Key), Key).Add(shortChunk));
    }

    [Fact]
    public void A_photo_made_with_another_key_fails_on_completion()
    {
        byte[] jpeg = Jpeg(1000);
        var chunker = new PhotoChunker(jpeg, 1024, "ph-3");
        var assembler = new PhotoAssembler(chunker.Manifest(PhotoPurpose.Handover, null!, TestKeys.Device("lock-0002")), Key);
        Assert.Equal(PhotoAssemblyState.MacMismatch, assembler.Add(chunker.Chunk(0)));
    }

    [Fact]
    public void Oversized_photos_and_inconsistent_manifests_are_refused()
    {
        Assert.Equal(ProtocolError.MessageBadField, Assert.Throws<ProtocolException>(() => new PhotoChunker(new byte[PhotoChunker.MaxPhotoBytes + 1], 4096, "ph")).Error);
        Assert.Equal(ProtocolError.MessageBadField, Assert.Throws<ProtocolException>(() => new PhotoChunker(Array.Empty<byte>(), 4096, "ph")).Error);
        var manifest = new PhotoChunker(Jpeg(5000), 1024, "ph").Manifest(PhotoPurpose.Before, null!, Key);
        manifest.ChunkCount = 3;
        Assert.Equal(ProtocolError.MessageBadField, Assert.Throws<ProtocolException>(() => new PhotoAssembler(manifest, Key)).Error);
    }

    [Fact]
    public void A_clip_manifest_says_mp4_and_a_still_leaves_media_out()
    {
        byte[] clip = Jpeg(3000);
        PhotoManifestBody manifest = new PhotoChunker(clip, 1024, "vid-1").Manifest(PhotoPurpose.Handover, "att-1", Key, MediaKind.Mp4);
        byte[] json = MessageCodec.EncodeBody(manifest);
        Assert.Contains("\"media\":\"mp4\"", System.Text.Encoding.UTF8.GetString(json));
        var read = new PhotoManifestBody();
        Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(json, 0, json.Length, read, out _));
        Assert.Equal(MediaKind.Mp4, read.Media);

        byte[] still = MessageCodec.EncodeBody(new PhotoChunker(clip, 1024, "ph-1").Manifest(PhotoPurpose.Handover, "att-1", Key));
        Assert.DoesNotContain("media", System.Text.Encoding.UTF8.GetString(still));
        Assert.Equal(ProtocolError.None, MessageCodec.DecodeBody(still, 0, still.Length, read, out _));
        Assert.Equal(MediaKind.Unknown, read.Media);

        byte[] unknown = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(json).Replace("\"mp4\"", "\"avi\""));
        Assert.Equal(ProtocolError.MessageBadField, MessageCodec.DecodeBody(unknown, 0, unknown.Length, read, out string detail));
        Assert.Contains("media", detail);
    }
}
