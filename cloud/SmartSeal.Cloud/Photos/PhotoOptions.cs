using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Photos;

/// <summary>Configuration section <c>SmartSeal:Photos</c>: where photos are kept and the upload limits.</summary>
public sealed class PhotoOptions
{
    public const string Section = "SmartSeal:Photos";

    /// <summary><c>Disk</c> (default, under the data directory) or <c>AzureBlob</c>.</summary>
    public PhotoStoreProvider Provider { get; set; } = PhotoStoreProvider.Disk;

    /// <summary>Disk: the folder (empty means <c>{DataDirectory}/photos</c>; relative paths are under the content root).</summary>
    public string? Directory { get; set; }

    /// <summary>AzureBlob: a storage connection string (Azurite's or a real account's).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>AzureBlob: the container (created on first use).</summary>
    public string Container { get; set; } = "photos";

    /// <summary>Largest photo accepted; never more than the protocol's <see cref="PhotoChunker.MaxPhotoBytes"/>.</summary>
    public int MaxPhotoBytes { get; set; } = PhotoChunker.MaxPhotoBytes;

    /// <summary>Most chunks one photo may have (the firmware sends 4 KiB chunks: 512 for the largest photo).</summary>
    public int MaxChunks { get; set; } = 2048;

    /// <summary>An upload with no new part for this long is dropped, recorded and alarmed (<c>photo-incomplete</c>).</summary>
    public TimeSpan IncompleteTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often the sweep looks for expired uploads and retries completions the store refused.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Width of the portal thumbnails in pixels (smaller photos keep their size).</summary>
    public int ThumbnailWidth { get; set; } = 320;

    /// <summary>Photos with more pixels than this get no thumbnail (a small JPEG can declare a huge image).</summary>
    public long MaxThumbnailSourcePixels { get; set; } = 50_000_000;

    public int EffectiveMaxPhotoBytes => Math.Clamp(MaxPhotoBytes, 1, PhotoChunker.MaxPhotoBytes);
}

public enum PhotoStoreProvider
{
    Disk,
    AzureBlob,
}
