namespace SmartSeal.Cloud.Seals;

/// <summary>Section <c>SmartSeal:Seals</c>.</summary>
public sealed class SealOptions
{
    public const string Section = "SmartSeal:Seals";

    /// <summary>
    /// Lifecycle actions a keeper may only request: they apply when a second keeper (or a
    /// sysadmin) of the seal's unit approves. Default: the irreversible ones.
    /// </summary>
    public string[] TransitionsNeedingApproval { get; set; } = ["publish-loss", "revoke", "destroy"];
}
