using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Seals;

public static class SealsRegistration
{
    public static void AddSeals(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SealOptions>().BindConfiguration(SealOptions.Section);
        builder.Services.AddSingleton<SealRegistry>().AddSingleton<TransitionApprovals>().AddSingleton<InventoryService>().AddSingleton<SealHolds>();
        builder.Services.AddSingleton<SealDirectory>();
        builder.Services.AddSingleton<LiveFeed.ILiveFeedSeals, LiveFeedSeals>();
        builder.Services.AddObjectUnits<SealUnits>();

        // E-seals (issue 16): keys on the PKCS#11 token, the development CA, the electronic register.
        builder.Services.AddOptions<ESealOptions>().BindConfiguration(ESealOptions.Section);
        builder.Services.AddSingleton<Pkcs11Token>();
        builder.Services.AddSingleton(services => new SealCertificateAuthority(
            services.GetRequiredService<IOptions<ESealOptions>>(),
            services.GetRequiredService<IOptions<ESealOptions>>().Value.CaDirectory ?? Path.Combine(DataDirectory.Resolve(services), "e-seal-ca"),
            services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ESealRegister>().AddSingleton<ImpressionScans>();
    }
}
