using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Ledger;

public static class LedgerRegistration
{
    public static void AddLedger(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.Section);
        builder.Services.AddSingleton<LedgerService>();
        builder.Services.AddSingleton<IAdminAuditTrail, AdminAuditTrail>();
        builder.Services.AddSingleton<LedgerQueries>();
        builder.Services.AddSingleton<LedgerReader>();
        builder.Services.AddSingleton<LedgerVerifier>();
        builder.Services.AddSingleton<LedgerCheckpoints>();
        builder.Services.AddSingleton(sp => new LedgerSigner(KeyPath(sp, o => o.SigningKeyPath, "ledger-signing.pem")));
        builder.Services.AddSingleton(sp =>
        {
            if (sp.GetRequiredService<IHostEnvironment>().IsProduction() && string.IsNullOrWhiteSpace(Options(sp).TimeStampKeyPath))
            {
                throw new OptionsValidationException(LedgerOptions.Section, typeof(LedgerOptions),
                    ["SmartSeal:Ledger:TimeStampKeyPath is required in Production: the PEM (certificate and private key) of the ledger's time-stamping authority, a key apart from the ledger signing key"]);
            }

            return new LedgerTimeStampAuthority(KeyPath(sp, o => o.TimeStampKeyPath, "ledger-tsa.pem"), sp.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddSingleton<ILedgerWitness>(sp => new FileLedgerWitness(KeyPath(sp, o => o.WitnessDirectory, "ledger-witness")));
        builder.Services.AddSingleton<LedgerWitnessing>();
        builder.Services.AddHostedService<LedgerCheckpointService>();
    }

    private static LedgerOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<LedgerOptions>>().Value;

    /// <summary>The configured path, or <paramref name="defaultName"/> in the data directory.</summary>
    private static string KeyPath(IServiceProvider services, Func<LedgerOptions, string?> configured, string defaultName) =>
        configured(Options(services)) is { Length: > 0 } path ? path : Path.Combine(DataDirectory.Resolve(services), defaultName);
}
