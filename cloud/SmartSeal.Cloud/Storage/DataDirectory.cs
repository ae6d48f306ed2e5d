using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SmartSeal.Cloud.Storage;

/// <summary>
/// Where SQLite, photos, documents, ledger keys and the development master key live
/// (<c>SmartSeal:DataDirectory</c>). Read from configuration, not from the composition root's
/// options, so every module can find its files without depending on Hosting.
/// </summary>
public static class DataDirectory
{
    public const string ConfigurationKey = "SmartSeal:DataDirectory";

    /// <summary>The directory when configuration names none (relative to the content root).</summary>
    public const string DefaultPath = "data";

    /// <summary>The data directory, absolute (relative paths are under the content root).</summary>
    public static string Resolve(IServiceProvider services)
    {
        string configured = services.GetRequiredService<IConfiguration>()[ConfigurationKey] ?? DefaultPath;
        return Path.GetFullPath(configured, services.GetRequiredService<IHostEnvironment>().ContentRootPath);
    }
}
