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
               p.bytes AS Bytes, r.device_ms AS DeviceMs, r.server_ms AS ServerMs
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

    private static PhotoView ToView(PhotoRow r) => new(r.DeviceId, r.PhotoId, r.Sha256, r.Purpose, r.AttemptId, r.Bytes, r.DeviceMs, r.ServerMs);
}
