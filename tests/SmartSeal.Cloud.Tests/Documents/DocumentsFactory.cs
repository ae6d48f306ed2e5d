using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Documents;

/// <summary>
/// The host with a small upload limit (the 413 path needs no 20 MB body) and a generous OCR timeout:
/// the suite runs test assemblies in parallel on few cores, and a slow OCR there is not a wrong verdict.
/// </summary>
public sealed class DocumentsFactory : CloudFactory
{
    public const long UploadLimit = 1_000_000;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["SmartSeal:Documents:MaxUploadBytes"] = UploadLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SmartSeal:Documents:OcrTimeoutSeconds"] = "120",
    };
}
