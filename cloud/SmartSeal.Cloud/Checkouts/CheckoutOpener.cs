using System.Data.Common;
using SmartSeal.Cloud.Applications;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// Final approval opens the application's checkout (awaiting), in the approval's own transaction.
/// Nothing is sent to a device here: a cabinet token is minted only when the applicant stands at
/// the cabinet, a lock token when a keeper binds the seal into a lock.
/// </summary>
public sealed class CheckoutOpener : IApplicationApproved
{
    public Task OnApprovedAsync(ApplicationRecord application, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        CheckoutStore.InsertAsync(
            new Checkout
            {
                ApplicationId = application.Id,
                SealId = application.Content.SealId,
                Holder = application.Applicant,
                Mode = application.Content.Mode == ApplicationMode.Cabinet ? "cabinet" : "lock",
                Status = CheckoutStatus.Awaiting,
                WindowFromMs = application.Content.WindowFromMs,
                DueMs = application.Content.WindowToMs,
                CreatedMs = application.UpdatedMs,
                UpdatedMs = application.UpdatedMs,
            },
            connection,
            transaction);
}
