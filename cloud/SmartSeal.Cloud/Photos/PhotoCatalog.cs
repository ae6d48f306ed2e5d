using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Photos;

/// <summary>
/// The photos' read API for other modules (owner of <c>photos</c> and <c>photo_refs</c>): which photos an entry or message refers to, and their metadata.
/// Methods are kept in alphabetical order; each takes ids or a scope and returns plain rows, so a
/// caller joins in memory instead of writing SQL on this module's tables.
/// </summary>
public sealed class PhotoCatalog(Database database)
{
    /// <summary>The database this module owns tables in (kept for the queries below).</summary>
    internal Database Database { get; } = database;

    /// <summary>A photo reference with its size, as <see cref="PhotoRow"/>; callers add the condition.</summary>
    private const string ViewQuery = """
        SELECT r.device_id AS DeviceId, r.photo_id AS PhotoId, r.sha256 AS Sha256, r.purpose AS Purpose, r.attempt_id AS AttemptId,
               p.bytes AS Bytes, r.device_ms AS DeviceMs, r.server_ms AS ServerMs, p.media AS Media
        FROM photo_refs r JOIN photos p ON p.sha256 = r.sha256
        """;

    /// <summary>The photos a device took during use attempt <paramref name="attemptId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<PhotoView>> AttemptPhotosAsync(string deviceId, string attemptId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<PhotoRow>(
            ViewQuery + " WHERE r.device_id = @deviceId AND r.attempt_id = @attemptId ORDER BY r.device_ms, r.photo_id", new { deviceId, attemptId }))
            .Select(ToView).ToArray();
    }

    /// <summary>The stored photos among <paramref name="photoIds"/> of <paramref name="deviceId"/> (a photo is stored once it is whole).</summary>
    public async Task<IReadOnlyList<PhotoView>> DevicePhotosAsync(string deviceId, IReadOnlyCollection<string> photoIds, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await SqlList.QueryInChunksAsync<PhotoRow>(connection, ViewQuery + " WHERE r.device_id = @deviceId AND r.photo_id IN {values}", photoIds, new { deviceId }))
            .Select(ToView).ToArray();
    }

    internal static PhotoView ToView(PhotoRow r) => new(r.DeviceId, r.PhotoId, r.Sha256, r.Purpose, r.AttemptId, r.Bytes, r.DeviceMs, r.ServerMs, r.Media);

    /// <summary>The columns of a <see cref="PhotoRef"/>.</summary>
    private const string RefColumns = "SELECT device_id AS DeviceId, photo_id AS PhotoId, sha256 AS Sha256, purpose AS Purpose, attempt_id AS AttemptId FROM photo_refs";

    /// <summary>When the photo was stored, or null when it is not in the catalogue.</summary>
    public async Task<long?> CreatedMsAsync(string sha256, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT created_ms FROM photos WHERE sha256 = @sha256", new { sha256 }, cancellationToken: cancellationToken));
    }

    /// <summary>The still photos (not clips: exports print stills) of these attempts, oldest (device time) first within an attempt.</summary>
    public async Task<IReadOnlyList<PhotoRef>> RefsOfAttemptsAsync(IEnumerable<string> attemptIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await SqlList.QueryInChunksAsync<PhotoRef>(connection,
            $"{RefColumns} WHERE attempt_id IN {{values}} AND sha256 IN (SELECT sha256 FROM photos WHERE media = '{PhotoMedia.Jpeg}') ORDER BY device_ms", attemptIds, cancellationToken: cancellationToken);
    }

    /// <summary>The references of one device's photo ids (unknown ids are left out).</summary>
    public async Task<IReadOnlyList<PhotoRef>> RefsOfDevicePhotosAsync(string deviceId, IEnumerable<string> photoIds, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return await SqlList.QueryInChunksAsync<PhotoRef>(connection, $"{RefColumns} WHERE device_id = @deviceId AND photo_id IN {{values}}", photoIds, new { deviceId }, cancellationToken: cancellationToken);
    }

    /// <summary>The references that name <paramref name="sha256"/> (a device's photo ids for it, with their attempts).</summary>
    public async Task<IReadOnlyList<PhotoRef>> RefsOfPhotoAsync(string sha256, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await Database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<PhotoRef>(new CommandDefinition($"{RefColumns} WHERE sha256 = @sha256", new { sha256 }, cancellationToken: cancellationToken))).ToList();
    }
}
