using System.Data.Common;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// Told when an application receives its final approval, inside the transaction that records it
/// (whatever a listener writes commits with the approval or not at all). The one listener is
/// Checkouts' <c>CheckoutOpener</c>, which opens an awaiting checkout. No use token is minted
/// here: a cabinet token is minted when the applicant stands at the cabinet, a lock token when a
/// keeper binds the seal into a lock.
/// </summary>
public interface IApprovalListener
{
    Task OnApprovedAsync(ApplicationRecord application, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);
}
