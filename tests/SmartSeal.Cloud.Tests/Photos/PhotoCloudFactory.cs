using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Photos;

/// <summary>
/// The cloud host with photo limits small enough to test (256 KiB per photo) and optionally: a
/// data directory that outlives the host (so a second host starts over the same database and
/// photos: a cloud restart), extra settings, and replaced services.
/// </summary>
public class PhotoCloudFactory : CloudFactory
{
    public const int MaxPhotoBytes = 256 * 1024;

    private readonly string? _dataDirectory;
    private readonly IDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public PhotoCloudFactory()
        : this(null, null, null)
    {
    }

    private PhotoCloudFactory(string? dataDirectory, IDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        _dataDirectory = dataDirectory;
        _settings = settings ?? new Dictionary<string, string?>();
        _services = services;
    }

    /// <summary>A host over <paramref name="dataDirectory"/> (when given, the caller creates and deletes it: it outlives the host).</summary>
    public static PhotoCloudFactory With(string? dataDirectory = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        new(dataDirectory, settings, services);

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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (_services != null)
        {
            builder.ConfigureTestServices(_services);
        }
    }
}
