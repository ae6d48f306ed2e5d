using SmartSeal.Cloud.LiveFeed;

namespace SmartSeal.Cloud.Seals;

/// <summary>Tells the live feed which seals a keeper watches, from the register.</summary>
public sealed class LiveFeedSeals(SealDirectory directory) : ILiveFeedSeals
{
    public Task<IReadOnlyList<string>> IdsInSubtreesAsync(IReadOnlyList<string> rootUnitIds, CancellationToken cancellationToken) =>
        directory.IdsInSubtreesAsync(rootUnitIds, cancellationToken);
}
