using System.Threading.Channels;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Ingest;

namespace SmartSeal.Cloud.Documents;

public static class DocumentsRegistration
{
    /// <summary>
    /// Uploads and approved copies, the documents lock tokens bind (replaces the default
    /// <see cref="NoApprovedDocuments"/>), and the page-photo check: an after-commit ingest
    /// handler queues complete "before" photos for <see cref="DocumentCheckWorker"/>.
    /// </summary>
    public static void AddDocuments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.Section);
        builder.Services.AddSingleton<PageCode>();
        builder.Services.AddSingleton<ApprovedCopyMaker>();
        builder.Services.AddSingleton<DocumentService>();
        builder.Services.AddSingleton<TesseractOcr>();
        builder.Services.AddSingleton<ApprovedPageReferences>();
        builder.Services.AddSingleton<PagePhotoChecker>();
        builder.Services.AddSingleton<StampEvidenceChecker>();
        builder.Services.AddSingleton<LedgerEvidence>();
        builder.Services.AddSingleton<IApprovedDocuments, ApplicationDocuments>();
        builder.Services.AddSingleton(Channel.CreateBounded<PagePhotoArrived>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.Wait }));
        builder.Services.AddSingleton<DocumentCheckWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DocumentCheckWorker>());
    }
}
