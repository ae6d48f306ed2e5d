namespace SmartSeal.Cloud.ESealing;

/// <summary>Section <c>SmartSeal:ESealing</c>.</summary>
public sealed class ESealingOptions
{
    public const string Section = "SmartSeal:ESealing";

    /// <summary>The largest PDF the cloud seals or verifies.</summary>
    public long MaxDocumentBytes { get; set; } = 50_000_000;
}
