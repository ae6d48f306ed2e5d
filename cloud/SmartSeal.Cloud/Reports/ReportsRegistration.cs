using System.Security.Claims;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Reports;

public static class ReportsRegistration
{
    /// <summary>
    /// Whose ledger a caller reads (<see cref="LedgerAudience"/> as the request's <see cref="ILedgerScope"/>), exports, reports, the seal board and its notifier; the retention
    /// check at start-up; and the photo store wrapped so originals under retention cannot be
    /// deleted (call after <c>AddPhotos</c>).
    /// </summary>
    public static void AddReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<LedgerOptions>, RetentionValidation>();
        builder.Services.AddOptions<LedgerOptions>().ValidateOnStart();
        builder.Services.AddSingleton<LedgerRetention>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ILedgerScope>(sp => LedgerAudience.Of(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User ?? new ClaimsPrincipal())); // the caller's, for /api/ledger
        builder.Services.AddSingleton<ILedgerChains, LedgerChains>(); // the ids a ledger search reads, from the seal register, devices, units and applications
        builder.Services.AddSingleton<LedgerExportRows>();
        builder.Services.AddSingleton<LedgerExports>();
        builder.Services.AddSingleton<ReportClock>();
        builder.Services.AddSingleton<ReportQueries>();
        builder.Services.AddSingleton<QuarterlyReports>();
        builder.Services.AddSingleton<ReportCharts>();
        builder.Services.AddSingleton<SealBoard>();
        builder.Services.AddSingleton<SealBoardNotifier>();
        builder.Services.AddSingleton<ISealLocationListener>(sp => sp.GetRequiredService<SealBoardNotifier>());
        builder.Services.AddSingleton<SealBoardWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SealBoardWatcher>());

        ServiceDescriptor? store = builder.Services.LastOrDefault(d => d.ServiceType == typeof(IPhotoStore));
        if (store is not null)
        {
            builder.Services.Remove(store);
            builder.Services.AddSingleton<IPhotoStore>(sp => new RetentionGuardedPhotoStore(Create(store, sp), sp.GetRequiredService<LedgerRetention>()));
        }
    }

    private static IPhotoStore Create(ServiceDescriptor descriptor, IServiceProvider services) =>
        (IPhotoStore)(descriptor.ImplementationInstance
                      ?? descriptor.ImplementationFactory?.Invoke(services)
                      ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
