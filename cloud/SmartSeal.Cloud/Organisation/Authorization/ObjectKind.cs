namespace SmartSeal.Cloud.Organisation.Authorization;

/// <summary>
/// The things a caller acts on, each owned by one org unit (the unit its module resolves, see
/// <see cref="IObjectUnits"/>). A device's commands, desired state, tracks and photo uploads are
/// the device's; a checkout's tokens are the checkout's (whose unit is its seal's).
/// </summary>
public enum ObjectKind
{
    Seal,
    Device,
    Checkout,
    Alarm,
    Photo,
    User,
}
