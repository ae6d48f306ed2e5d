namespace SmartSeal.Cloud.Faces;

public static class FacesRegistration
{
    public static WebApplicationBuilder AddFaces(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FaceTemplateCipher>();
        builder.Services.AddSingleton<FaceEmbeddingService>();
        builder.Services.AddSingleton<FaceEnrolmentService>();
        builder.Services.AddSingleton<GateTemplateService>();
        return builder;
    }
}
