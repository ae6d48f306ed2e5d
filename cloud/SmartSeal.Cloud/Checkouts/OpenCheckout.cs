namespace SmartSeal.Cloud.Checkouts;

/// <summary>A seal out on a checkout (<see cref="CheckoutDirectory.OpenOfSealsAsync"/>).</summary>
public sealed record OpenCheckout(string ApplicationId, string SealId, string Holder, long DueMs, long? OutMs);
