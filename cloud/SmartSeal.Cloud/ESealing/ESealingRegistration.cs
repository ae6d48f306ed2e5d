using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.ESealing;

public static class ESealingRegistration
{
    public static void AddESealing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ESealingOptions>().BindConfiguration(ESealingOptions.Section);
        builder.Services.AddSingleton(services => new SealedFiles(Path.Combine(DataDirectory.Resolve(services), "e-sealed")));
        builder.Services.AddSingleton<ESealingService>().AddSingleton<SealVerifier>().AddSingleton<ESealPreview>();
        builder.Services.AddSingleton<IPrintQueue, CupsPrintQueue>().AddSingleton<ESealPrinting>();
    }
}
