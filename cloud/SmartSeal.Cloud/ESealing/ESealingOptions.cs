namespace SmartSeal.Cloud.ESealing;

/// <summary>Section <c>SmartSeal:ESealing</c>.</summary>
public sealed class ESealingOptions
{
    public const string Section = "SmartSeal:ESealing";

    /// <summary>The largest PDF the cloud seals or verifies.</summary>
    public long MaxDocumentBytes { get; set; } = 50_000_000;

    /// <summary>The CUPS queues applicants may print sealed documents on (remote print); empty: remote print is off.</summary>
    public string[] Printers { get; set; } = [];

    /// <summary>The CUPS server (host:port) <c>lp</c> talks to; empty: the machine's own (CUPS_SERVER or /etc/cups/client.conf).</summary>
    public string? CupsServer { get; set; }

    /// <summary>The <c>lp</c> program.</summary>
    public string LpPath { get; set; } = "lp";
}
