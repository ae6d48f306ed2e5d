using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>A checkout (by application id) belongs to its seal's unit: the keepers of that seal hand it out and take it back.</summary>
public sealed class CheckoutUnits(CheckoutService checkouts, SealUnits seals) : IObjectUnits
{
    public ObjectKind Kind => ObjectKind.Checkout;

    public async Task<ObjectUnit?> FindAsync(string id, CancellationToken cancellationToken) =>
        await checkouts.FindAsync(id, cancellationToken) is { } checkout
            ? await seals.FindAsync(checkout.SealId, cancellationToken) ?? new ObjectUnit(null)
            : null;
}
