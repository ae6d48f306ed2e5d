using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Photos;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// The ledger's retention (<c>SmartSeal:Ledger:RetentionYears</c>, at least
/// <see cref="MinimumYears"/>): no code path deletes ledger entries at all, and photos may not be
/// deleted while they are younger than the retention or a ledger entry younger than the
/// retention refers to them (by hash, device photo id or attempt). The photo store is wrapped by
/// <see cref="RetentionGuardedPhotoStore"/> so that rule holds for every caller.
/// </summary>
public sealed class LedgerRetention(PhotoCatalog photos, LedgerReader ledger, IOptions<LedgerOptions> options, TimeProvider time)
{
    /// <summary>Seal-management rules ask for the use ledger to be kept at least five years.</summary>
    public const int MinimumYears = 5;

    public int Years { get; } = options.Value.RetentionYears;

    /// <summary>The oldest instant still under retention now (calendar years back, in UTC).</summary>
    public long ProtectedSinceMs => time.GetUtcNow().AddYears(-Years).ToUnixTimeMilliseconds();

    /// <summary>When something recorded at <paramref name="atMs"/> leaves retention.</summary>
    public long KeptUntilMs(long atMs) => DateTimeOffset.FromUnixTimeMilliseconds(atMs).AddYears(Years).ToUnixTimeMilliseconds();

    /// <summary>Why the photo must be kept, or null when it may go.</summary>
    public async Task<string?> PhotoHoldAsync(string sha256, CancellationToken cancellationToken = default)
    {
        long since = ProtectedSinceMs;
        if (await photos.CreatedMsAsync(sha256, cancellationToken) is { } created && created >= since)
        {
            return $"photo {sha256} was stored {DateTimeOffset.FromUnixTimeMilliseconds(created):u}; it is kept until {DateTimeOffset.FromUnixTimeMilliseconds(KeptUntilMs(created)):u} ({Years}-year ledger retention)";
        }

        // An entry names the photo by its hash, or (on the device that took it) by the device's photo id or the attempt it belongs to.
        var byDevice = new List<(string DeviceId, string Value)>();
        foreach (PhotoRef reference in await photos.RefsOfPhotoAsync(sha256, cancellationToken))
        {
            byDevice.Add((reference.DeviceId, reference.PhotoId));
            if (reference.AttemptId is { } attempt)
            {
                byDevice.Add((reference.DeviceId, attempt));
            }
        }

        long? entry = await ledger.FirstMentionSinceAsync(since, sha256, byDevice, cancellationToken);
        return entry is { } id ? $"photo {sha256} is evidence of ledger entry {id}, which is under the {Years}-year retention" : null;
    }
}

/// <summary>Start-up check: a retention below the minimum stops the host with a message that names the setting.</summary>
public sealed class RetentionValidation : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions options) =>
        options.RetentionYears >= LedgerRetention.MinimumYears
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"SmartSeal:Ledger:RetentionYears is {options.RetentionYears}: the use ledger and its photos must be kept at least {LedgerRetention.MinimumYears} years; set {LedgerRetention.MinimumYears} or more (or leave it out for the default {LedgerRetention.MinimumYears})");
}

/// <summary>Deleting a photo under retention.</summary>
public sealed class RetentionViolationException(string message) : InvalidOperationException(message);
