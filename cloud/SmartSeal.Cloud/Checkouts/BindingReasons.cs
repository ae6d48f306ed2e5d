namespace SmartSeal.Cloud.Checkouts;

/// <summary>Why <see cref="BindingHandler"/> refused an event: the <c>reason</c> in <c>refused_messages</c>.</summary>
public static class BindingReasons
{
    /// <summary>A seal going in or out of a compartment, reported by something that has no compartments.</summary>
    public const string NotACabinet = "unbound-not-a-cabinet";

    /// <summary>A use under a token id the cloud never issued.</summary>
    public const string TokenNotIssued = "unbound-token-not-issued";

    /// <summary>A use under a genuine token issued to another device.</summary>
    public const string TokenForOtherDevice = "unbound-token-other-device";

    /// <summary>A dispense under the sender's own token, but of another seal than the token's.</summary>
    public const string TokenForOtherSeal = "unbound-token-other-seal";

    /// <summary>A return of a seal into a compartment the cloud never opened for it.</summary>
    public const string SealNotAssigned = "unbound-seal-not-assigned";
}
