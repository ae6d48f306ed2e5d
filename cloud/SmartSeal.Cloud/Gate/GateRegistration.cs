using SmartSeal.Cloud.Checkouts;

namespace SmartSeal.Cloud.Gate;

/// <summary>
/// The face gate: enrolment, the gates' template sets and cabinets, and acting on their decisions
/// (<see cref="GateDecisionHandler"/> runs in the ingest pipeline, registered there).
/// </summary>
public static class GateRegistration
{
    public static WebApplicationBuilder AddGate(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FaceOptions>().BindConfiguration(FaceOptions.Section);
        builder.Services.AddSingleton<FaceTemplateCipher>();
        builder.Services.AddSingleton<FaceEmbeddingService>();
        builder.Services.AddSingleton<FaceEnrolmentService>();
        builder.Services.AddSingleton<CabinetEntitlements>();
        builder.Services.AddSingleton<GateTemplateService>();
        builder.Services.AddSingleton<IGateDecisions, GateDecisions>();
        builder.Services.AddSingleton<GateDispatcher>().AddHostedService(sp => sp.GetRequiredService<GateDispatcher>());
        return builder;
    }
}
