namespace SmartSeal.Cloud.LiveFeed;

/// <summary>
/// Which seals a keeper watches on the live feed. The live feed sits below the seal register (the
/// register publishes on it), so it asks through this interface, which <c>Seals/</c> implements.
/// </summary>
public interface ILiveFeedSeals
{
    /// <summary>The ids of the seals of the subtrees of <paramref name="rootUnitIds"/>.</summary>
    Task<IReadOnlyList<string>> IdsInSubtreesAsync(IReadOnlyList<string> rootUnitIds, CancellationToken cancellationToken);
}
