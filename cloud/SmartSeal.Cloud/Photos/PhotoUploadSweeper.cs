using System.Data.Common;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Photos;

/// <summary>
/// Every <see cref="PhotoOptions.SweepInterval"/>: expires uploads that stopped short (no part for
/// <see cref="PhotoOptions.IncompleteTimeout"/>: recorded, <c>photo-incomplete</c> alarm) and
/// retries complete uploads the photo store refused earlier. Each sweep claims rows with
/// conditional updates, so several cloud instances may sweep at once.
/// </summary>
public sealed class PhotoUploadSweeper(
    Database database,
    PhotoAssembly assembly,
    DeviceCache devices,
    IOptions<PhotoOptions> options,
    TimeProvider time,
    ILogger<PhotoUploadSweeper> logger) : BackgroundService
{
    private readonly PhotoOptions _options = options.Value;

    /// <summary>One sweep at <paramref name="nowMs"/>; returns the uploads it expired and the photos it stored.</summary>
    public async Task<(int Expired, int Stored)> SweepAsync(long nowMs, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long cutoff = nowMs - (long)_options.IncompleteTimeout.TotalMilliseconds;
        IReadOnlyList<PhotoUpload> expired = await assembly.ExpireAsync(connection, transaction, cutoff, nowMs);
        int stored = await assembly.RetryCompletionsAsync(
            connection,
            transaction,
            async deviceId => (await devices.FindAsync(deviceId, cancellationToken))?.KeyVersion,
            nowMs,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (expired.Count, stored);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Photo upload sweep failed; trying again in {Interval}", _options.SweepInterval);
            }
        }
    }
}
