using System.Data.Common;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// The documents a lock token binds (its <c>docs</c> claim): with documents bound, the lock asks
/// for the cloud's verdict on a photo of each page before it opens. The document check supplies
/// the real list; without it (<see cref="NoApprovedDocuments"/>) tokens bind none and the lock
/// opens on the token's other limits alone.
/// </summary>
public interface IApprovedDocuments
{
    Task<IReadOnlyList<ApprovedDocument>> ForApplicationAsync(string applicationId, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken);
}

public sealed class NoApprovedDocuments : IApprovedDocuments
{
    public Task<IReadOnlyList<ApprovedDocument>> ForApplicationAsync(string applicationId, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ApprovedDocument>>([]);
}
