using System.Data.Common;
using SmartSeal.Cloud.Applications;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>
/// Final approval opens the application's checkout (awaiting), in the approval's own transaction.
/// Nothing is sent to a device here. The token path continues in <see cref="CheckoutService"/>:
/// a cabinet token is minted when the applicant stands at the cabinet (<c>ServeAtCabinetAsync</c>
/// from a gate decision, or a keeper's <c>DispenseAsync</c>), a lock token when a keeper binds the
/// seal into a lock (<c>BindToLockAsync</c>); both after asking <c>Seals.SealHolds</c> for a hold.
/// </summary>
public sealed class CheckoutOpener : IApprovalListener
{
    public Task OnApprovedAsync(ApplicationRecord application, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        application.Content.Mode == ApplicationMode.Electronic ? Task.CompletedTask : CheckoutStore.InsertAsync(
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
