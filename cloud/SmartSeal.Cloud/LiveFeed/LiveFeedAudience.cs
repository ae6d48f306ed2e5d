using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.LiveFeed;

/// <summary>
/// Which live events one subscriber may see. Every signed-in user gets the notifications addressed
/// to them (<c>user:{login}</c>, e.g. an approver being urged). Keepers also get the devices and
/// seals of the units they keep and their sub-units (a Guangdong keeper does not watch Beijing's
/// cabinets), plus devices not assigned to any unit (shared equipment every keeper looks after);
/// other roles on a unit (approver, applicant, auditor) do not make its devices visible.
/// Sysadmins see everything.
/// Built from the device registry and the seal register (through <see cref="ILiveFeedSeals"/>) when
/// the stream opens and rebuilt while it runs, so a device or seal added later appears without a reconnect.
/// </summary>
public sealed class LiveFeedAudience
{
    private readonly string? _user;
    private readonly HashSet<string>? _devices;
    private readonly HashSet<string>? _seals;

    private LiveFeedAudience(string? user, HashSet<string>? devices, HashSet<string>? seals)
    {
        _user = user;
        _devices = devices;
        _seals = seals;
    }

    public static readonly LiveFeedAudience Everyone = new(null, null, null);

    /// <summary>
    /// Events about a seal carry <c>seal:{id}</c> as their key, notifications for one person
    /// <c>user:{login}</c> (only that person sees them); every other event names a device.
    /// </summary>
    public bool Sees(LiveEvent liveEvent)
    {
        string key = liveEvent.DeviceId;
        if (key.StartsWith("seal:", StringComparison.Ordinal))
        {
            return _seals is null || _seals.Contains(key[5..]);
        }

        if (key.StartsWith("user:", StringComparison.Ordinal))
        {
            return _devices is null || key.AsSpan(5).SequenceEqual(_user);
        }

        return _devices is null || _devices.Contains(key);
    }

    public static async Task<LiveFeedAudience> ForAsync(CallerScope caller, DeviceRepository deviceRegistry, ILiveFeedSeals sealRegister, CancellationToken cancellationToken)
    {
        if (caller.Everything)
        {
            return Everyone;
        }

        string[] units = caller.KeeperUnitIds.Distinct(StringComparer.Ordinal).ToArray();
        if (units.Length == 0)
        {
            return new LiveFeedAudience(caller.Actor, [], []); // their own notifications only
        }

        HashSet<string> devices = [.. await deviceRegistry.IdsInSubtreesAsync(units, withUnassigned: true, cancellationToken)];
        HashSet<string> seals = [.. await sealRegister.IdsInSubtreesAsync(units, cancellationToken)];
        return new LiveFeedAudience(caller.Actor, devices, seals);
    }
}
