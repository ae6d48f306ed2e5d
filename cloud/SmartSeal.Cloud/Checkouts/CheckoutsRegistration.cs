using Microsoft.Extensions.DependencyInjection.Extensions;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Organisation.Authorization;

namespace SmartSeal.Cloud.Checkouts;

public static class CheckoutsRegistration
{
    public const string Section = "SmartSeal:Checkouts";

    public static void AddCheckouts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CheckoutOptions>().BindConfiguration(Section);
        builder.Services.AddSingleton<UseTokenIssuer>();
        builder.Services.TryAddSingleton<IApprovedDocuments, NoApprovedDocuments>();
        builder.Services.AddSingleton<CheckoutService>();
        builder.Services.AddSingleton<UseFacts>();
        builder.Services.AddSingleton<CheckoutDirectory>();
        builder.Services.AddObjectUnits<CheckoutUnits>();
        builder.Services.AddSingleton<IApprovalListener, CheckoutOpener>();
        builder.Services.AddSingleton<CheckoutNotices>().AddHostedService(sp => sp.GetRequiredService<CheckoutNotices>()); // issue 17 govops
        builder.Services.AddSingleton<CheckoutSweeper>().AddHostedService(sp => sp.GetRequiredService<CheckoutSweeper>());
    }
}
