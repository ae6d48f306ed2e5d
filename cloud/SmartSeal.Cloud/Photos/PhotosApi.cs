using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Photos;

/// <summary>
/// <c>/api/photos</c> (errors as <c>application/problem+json</c>): the JPEGs by SHA-256 (immutable: the ETag is the hash, caches keep them for a
/// year), portal thumbnails, and what is known about the photos of a device or of a use attempt.
/// </summary>
public static class PhotosApi
{
    private const string ImmutableCaching = "private, max-age=31536000, immutable";

    public static RouteGroupBuilder MapPhotosApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/photos").WithTags("Photos").RequireAuthorization(Policies.Auditor);
        group.MapGet("/{sha256}", GetPhotoAsync).WithSummary("The JPEG (image/jpeg) or stamping-video clip (video/mp4, range requests) with this SHA-256; ETag = hash")
            .RequireUnitAccess(ObjectKind.Photo, "sha256", UnitRight.Audit);
        group.MapGet("/{sha256}/thumbnail", GetThumbnailAsync).WithSummary("A small JPEG of the photo for lists (made on first request, then kept)")
            .RequireUnitAccess(ObjectKind.Photo, "sha256", UnitRight.Audit);
        group.MapGet("/devices/{deviceId}/{photoId}", GetByDevicePhotoAsync).WithSummary("The photo a device sent under this photo id")
            .RequireUnitAccess(ObjectKind.Device, "deviceId", UnitRight.Audit);
        group.MapGet("/attempts/{attemptId}", ListByAttemptAsync).WithSummary("Photos taken during a use attempt, oldest first (those of devices in the caller's units)");
        group.MapGet("/uploads", ListUploadsAsync).WithSummary("Photo uploads of a device: receiving, stored, refused or expired, newest first")
            .RequireUnitAccess(ObjectKind.Device, "deviceId", UnitRight.Audit);
        return group;
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult, ValidationProblem>> GetPhotoAsync(
        string sha256, Database database, IPhotoStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (Normalize(sha256) is not { } hash)
        {
            return MalformedHash();
        }

        if (await CreatedAsync(database, hash, cancellationToken) is not { } created
            || await store.OpenReadAsync(hash, PhotoVariant.Original, cancellationToken) is not { } content)
        {
            return TypedResults.Problem(Problems.NotFound($"no photo {hash}"));
        }

        string media = await MediaAsync(database, hash, cancellationToken);
        http.Response.Headers.CacheControl = ImmutableCaching;
        return TypedResults.Stream(content, PhotoMedia.ContentType(media), hash + PhotoMedia.Extension(media), DateTimeOffset.FromUnixTimeMilliseconds(created),
            new EntityTagHeaderValue($"\"{hash}\""), enableRangeProcessing: media == PhotoMedia.Mp4);
    }

    public static async Task<Results<FileStreamHttpResult, FileContentHttpResult, ProblemHttpResult, ValidationProblem>> GetThumbnailAsync(
        string sha256, Database database, IPhotoStore store, PhotoThumbnailer thumbnailer, HttpContext http, CancellationToken cancellationToken)
    {
        if (Normalize(sha256) is not { } hash)
        {
            return MalformedHash();
        }

        if (await CreatedAsync(database, hash, cancellationToken) is not { } createdMs)
        {
            return TypedResults.Problem(Problems.NotFound($"no photo {hash}"));
        }

        var created = DateTimeOffset.FromUnixTimeMilliseconds(createdMs);
        var etag = new EntityTagHeaderValue($"\"{hash}-thumbnail\"");
        if (await store.OpenReadAsync(hash, PhotoVariant.Thumbnail, cancellationToken) is { } kept)
        {
            http.Response.Headers.CacheControl = ImmutableCaching;
            return TypedResults.Stream(kept, "image/jpeg", null, created, etag);
        }

        byte[] original;
        await using (Stream? source = await store.OpenReadAsync(hash, PhotoVariant.Original, cancellationToken))
        {
            if (source is null)
            {
                return TypedResults.Problem(Problems.NotFound($"photo {hash} is recorded but missing from the store"));
            }

            using var buffer = new MemoryStream();
            await source.CopyToAsync(buffer, cancellationToken);
            original = buffer.ToArray();
        }

        if (await thumbnailer.CreateAsync(original, cancellationToken) is not { } thumbnail)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "No thumbnail",
                Detail = $"photo {hash} cannot be decoded or is too large to shrink",
                Type = "https://smartseal.dev/problems/photo-undecodable",
            });
        }

        await store.PutAsync(hash, PhotoVariant.Thumbnail, thumbnail, cancellationToken);
        http.Response.Headers.CacheControl = ImmutableCaching;
        return TypedResults.File(thumbnail, "image/jpeg", null, false, created, etag);
    }

    public static async Task<Results<Ok<PhotoView>, ProblemHttpResult>> GetByDevicePhotoAsync(string deviceId, string photoId, Database database, CancellationToken cancellationToken)
    {
        PhotoView[] found = await QueryViewsAsync(database, "r.device_id = @deviceId AND r.photo_id = @photoId", new { deviceId, photoId }, cancellationToken);
        return found.Length == 1
            ? TypedResults.Ok(found[0])
            : TypedResults.Problem(Problems.NotFound($"no photo {photoId} from device {deviceId}"));
    }

    public static async Task<Ok<PhotoView[]>> ListByAttemptAsync(string attemptId, Database database, UnitAuthority authority, DeviceUnits devices, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        UnitScope scope = await authority.ScopeAsync(user, UnitRight.Audit, cancellationToken);
        var visible = new List<PhotoView>();
        foreach (PhotoView photo in await QueryViewsAsync(database, "r.attempt_id = @attemptId", new { attemptId }, cancellationToken))
        {
            if (scope.Everything || scope.Contains((await devices.FindAsync(photo.DeviceId, cancellationToken))?.UnitId))
            {
                visible.Add(photo);
            }
        }

        return TypedResults.Ok(visible.ToArray());
    }

    public static async Task<Results<Ok<PhotoUploadView[]>, ValidationProblem>> ListUploadsAsync(string? deviceId, string? status, Database database, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(deviceId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["deviceId"] = ["required"] });
        }

        if (status is not (null or PhotoUploadStatus.Receiving or PhotoUploadStatus.Stored or PhotoUploadStatus.Refused or PhotoUploadStatus.Expired))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["one of receiving, stored, refused, expired"] });
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var uploads = await connection.QueryAsync<PhotoUpload>(
            $"""
            SELECT {PhotoUpload.Columns} FROM photo_uploads
            WHERE device_id = @deviceId AND (@status IS NULL OR status = @status)
            ORDER BY started_ms DESC LIMIT 500
            """,
            new { deviceId, status });
        return TypedResults.Ok(uploads.Select(PhotoUploadView.Of).ToArray());
    }

    private static async Task<PhotoView[]> QueryViewsAsync(Database database, string where, object args, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PhotoRow>(
            $"""
            SELECT r.device_id AS DeviceId, r.photo_id AS PhotoId, r.sha256 AS Sha256, r.purpose AS Purpose, r.attempt_id AS AttemptId,
                p.bytes AS Bytes, r.device_ms AS DeviceMs, r.server_ms AS ServerMs, p.media AS Media
            FROM photo_refs r JOIN photos p ON p.sha256 = r.sha256
            WHERE {where}
            ORDER BY r.device_ms, r.photo_id LIMIT 1000
            """,
            args);
        return rows.Select(PhotoCatalog.ToView).ToArray();
    }

    private static async Task<string> MediaAsync(Database database, string hash, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>("SELECT media FROM photos WHERE sha256 = @hash", new { hash }) ?? PhotoMedia.Jpeg;
    }

    private static async Task<long?> CreatedAsync(Database database, string hash, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<long?>("SELECT created_ms FROM photos WHERE sha256 = @hash", new { hash });
    }

    private static string? Normalize(string text)
    {
        string lower = text.ToLowerInvariant();
        return PhotoHash.IsValid(lower) ? lower : null;
    }

    private static ValidationProblem MalformedHash() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sha256"] = ["must be 64 hexadecimal characters (the SHA-256 of the JPEG)"] });
}

/// <summary>A row as read; settable properties let Dapper convert each database's integer types.</summary>
internal sealed class PhotoRow
{
    public string DeviceId { get; set; } = string.Empty;

    public string PhotoId { get; set; } = string.Empty;

    public string Sha256 { get; set; } = string.Empty;

    public string Purpose { get; set; } = string.Empty;

    public string? AttemptId { get; set; }

    public long Bytes { get; set; }

    public long DeviceMs { get; set; }

    public long ServerMs { get; set; }

    public string Media { get; set; } = PhotoMedia.Jpeg;
}

/// <summary>A stored photo (or stamping-video clip, <see cref="Media"/> = mp4) as a device took it: who, which photo id, why, and where to fetch it.</summary>
public sealed record PhotoView(string DeviceId, string PhotoId, string Sha256, string Purpose, string? AttemptId, long Bytes, long DeviceMs, long ServerMs, string Media = PhotoMedia.Jpeg)
{
    public bool IsClip => Media == PhotoMedia.Mp4;

    public string Url => $"/api/photos/{Sha256}";

    public string ThumbnailUrl => $"/api/photos/{Sha256}/thumbnail";
}

/// <summary>The state of one photo upload (incomplete, refused and expired ones included).</summary>
public sealed record PhotoUploadView(string DeviceId, string PhotoId, string Status, string? Reason, string? Purpose, string? AttemptId,
    int? Size, int? ChunkCount, int ChunksReceived, long StartedMs, long LastMs, long? ClosedMs, string? Sha256)
{
    public static PhotoUploadView Of(PhotoUpload u) => new(u.DeviceId, u.PhotoId, u.Status, u.Reason, u.Purpose, u.AttemptId,
        u.Size, u.ChunkCount, u.ChunksReceived, u.StartedMs, u.LastMs, u.ClosedMs, u.Sha256);
}
