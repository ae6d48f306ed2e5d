using System.Data.Common;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// Runs when an application receives its final approval, inside the transaction that records it
/// (so whatever it writes commits with the approval or not at all). This is where use tokens will
/// be issued and pushed to the cabinet or lock; nothing is registered yet.
/// </summary>
public interface IApplicationApproved
{
    Task OnApprovedAsync(ApplicationRecord application, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);
}
