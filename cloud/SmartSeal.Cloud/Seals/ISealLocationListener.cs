namespace SmartSeal.Cloud.Seals;

/// <summary>
/// Told after a seal's place or custodian changed and the change committed (a custody hand-over
/// through <c>SealsApi</c>). The register raises it and does not know who listens: today the seal
/// board (<c>Reports/SealBoardNotifier</c>) publishes the seal's live line. A listener must not
/// throw: the change it hears about is already done.
/// </summary>
public interface ISealLocationListener
{
    Task LocationChangedAsync(string sealId, CancellationToken cancellationToken = default);
}
