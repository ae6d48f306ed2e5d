namespace SmartSeal.Cloud.Applications;

public static class ApplicationsRegistration
{
    public static void AddApplications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApprovalOptions>().BindConfiguration(ApprovalOptions.Section);
        builder.Services.AddSingleton<ApprovalChainResolver>().AddSingleton<ApprovalMetrics>().AddSingleton<ApplicationService>();
        builder.Services.AddSingleton<ApplicationDirectory>();
        builder.Services.AddSingleton<ApplicationNotices>(); // issue 17 govops: notices after commit
        builder.Services.AddSingleton<ApprovalChains>().AddSingleton<SealScopes>().AddSingleton<ApprovalEscalations>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ApprovalEscalations>());
    }
}
