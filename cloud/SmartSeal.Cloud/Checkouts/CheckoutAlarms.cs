namespace SmartSeal.Cloud.Checkouts;

/// <summary>Alarms only the cloud can raise: a device's uses reconciled against the token it holds.</summary>
public static class CheckoutAlarms
{
    /// <summary>The seal was not back by the end of the approved window.</summary>
    public const string OverdueReturn = "overdue-return";

    /// <summary>More uses reported than the token allowed.</summary>
    public const string TokenOveruse = "token-overuse";

    /// <summary>A use reported outside the token's window, after its revocation, or under a token the cloud never issued to that device.</summary>
    public const string UseNotCovered = "use-not-covered";

    /// <summary>A stamp whose fix lies outside the approved area.</summary>
    public const string UseOutsideFence = "use-outside-fence";

    /// <summary>Uses of one token whose seq order and device-time order disagree: the device's own records contradict themselves.</summary>
    public const string UseOutOfOrder = "use-out-of-order";
}
