namespace SmartSeal.Cloud.Seals;

public static class SealsRegistration
{
    public static void AddSeals(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<SealRegistry>().AddSingleton<InventoryService>().AddSingleton<Ingest.IIngestHandler, TagReportHandler>();
}
