using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Photos;

public static class PhotoRegistration
{
    /// <summary>
    /// The photo store chosen by <c>SmartSeal:Photos:Provider</c>, chunk assembly in the ingest
    /// pipeline (a Domain handler, so call this after <c>AddIngest</c>), the expiry sweep and thumbnails.
    /// </summary>
    public static void AddPhotos(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PhotoOptions>().BindConfiguration(PhotoOptions.Section);
        builder.Services.AddSingleton<IPhotoStore>(CreateStore);
        builder.Services.AddSingleton<PhotoThumbnailer>();
        builder.Services.AddObjectUnits<PhotoUnits>();
        builder.Services.AddSingleton<PhotoAssembly>();
        builder.Services.AddSingleton<PhotoCatalog>();
        builder.Services.AddSingleton<PhotoUploadSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PhotoUploadSweeper>());
    }

    private static IPhotoStore CreateStore(IServiceProvider services)
    {
        PhotoOptions options = services.GetRequiredService<IOptions<PhotoOptions>>().Value;
        IPhotoStore store = options.Provider switch
        {
            PhotoStoreProvider.AzureBlob => new AzureBlobPhotoStore(
                options.ConnectionString is { Length: > 0 } connection
                    ? connection
                    : throw new InvalidOperationException("SmartSeal:Photos:ConnectionString is required when SmartSeal:Photos:Provider is AzureBlob"),
                options.Container),
            _ => new DiskPhotoStore(options.Directory is { Length: > 0 } directory
                ? Path.GetFullPath(directory, services.GetRequiredService<IHostEnvironment>().ContentRootPath)
                : Path.Combine(DataDirectory.Resolve(services), "photos")),
        };
        services.GetRequiredService<ILoggerFactory>().CreateLogger("SmartSeal.Cloud.Photos").LogInformation("Photos are stored in {Store}", store.Describe());
        return store;
    }
}
