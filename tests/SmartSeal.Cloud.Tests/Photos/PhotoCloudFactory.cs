using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>
/// The cloud host with photo limits small enough to test (256 KiB per photo) and, when given one,
/// a data directory that outlives the host, so a second host can start over the same database
/// and photos (a cloud restart).
/// </summary>
public class PhotoCloudFactory : CloudFactory
{
    public const int MaxPhotoBytes = 256 * 1024;

    private readonly string? _dataDirectory;
    private readonly IDictionary<string, string?> _settings;

    public PhotoCloudFactory()
        : this(null, null)
    {
    }

    private PhotoCloudFactory(string? dataDirectory, IDictionary<string, string?>? settings)
    {
        _dataDirectory = dataDirectory;
        _settings = settings ?? new Dictionary<string, string?>();
    }

    /// <summary>A host over <paramref name="dataDirectory"/>, which the caller creates and deletes (it outlives the host).</summary>
    public static PhotoCloudFactory Over(string dataDirectory, IDictionary<string, string?>? settings = null) => new(dataDirectory, settings);

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = new Dictionary<string, string?>(_settings)
            {
                ["SmartSeal:Photos:MaxPhotoBytes"] = MaxPhotoBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            if (_dataDirectory != null)
            {
                settings["SmartSeal:DataDirectory"] = _dataDirectory;
            }

            return settings;
        }
    }
}
