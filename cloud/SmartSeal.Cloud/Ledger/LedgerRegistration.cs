using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Ingest;

namespace SmartSeal.Cloud.Ledger;

public static class LedgerRegistration
{
    public static void AddLedger(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LedgerService>();
        builder.Services.AddSingleton<LedgerQueries>();
        builder.Services.AddSingleton<LedgerVerifier>();
        builder.Services.AddSingleton<LedgerCheckpoints>();
        builder.Services.AddSingleton(sp =>
        {
            string? configured = sp.GetRequiredService<IOptions<SmartSealOptions>>().Value.Ledger.SigningKeyPath;
            return new LedgerSigner(configured is { Length: > 0 } ? configured : Path.Combine(CloudHostingExtensions.DataDirectory(sp), "ledger-signing.pem"));
        });
        builder.Services.AddHostedService<LedgerCheckpointService>();
    }
}
