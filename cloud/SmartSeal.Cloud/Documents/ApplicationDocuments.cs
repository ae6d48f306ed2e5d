using System.Data.Common;
using SmartSeal.Cloud.Checkouts;

namespace SmartSeal.Cloud.Documents;

/// <summary>The documents a lock token binds: the application's uploaded documents with their page counts.</summary>
public sealed class ApplicationDocuments : IApprovedDocuments
{
    public async Task<IReadOnlyList<ApprovedDocument>> ForApplicationAsync(string applicationId, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        (await DocumentStore.ForApplicationAsync(applicationId, connection, transaction)).Select(d => new ApprovedDocument(d.Id, d.Pages)).ToList();
}
