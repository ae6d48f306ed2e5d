using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Checkouts;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;
using SmartSeal.Cloud.Alarms;
using SmartSeal.Cloud.Audits;
using SmartSeal.Cloud.Gate;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Commands;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.ESealing;
using SmartSeal.Cloud.Health;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.LiveFeed;
using SmartSeal.Cloud.Notifications;
using SmartSeal.Cloud.Risk;
using SmartSeal.Cloud.Mqtt;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Photos;
using SmartSeal.Cloud.Reports;
using SmartSeal.Cloud.Portal;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Security;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Hosting;

/// <summary>Registration and endpoint mapping of the whole cloud host, area by area.</summary>
public static class CloudHostingExtensions
{
    public static WebApplicationBuilder AddSmartSealCloud(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmartSealOptions>().BindConfiguration(SmartSealOptions.Section);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower)));
        builder.Services.AddOpenApi();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddMeter(CloudMetrics.MeterName)
            .AddPrometheusExporter());
        builder.Services.AddSingleton<CloudMetrics>();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.AddStorage();
        builder.AddDeviceSecurity();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddSmartSealPolicies();
        builder.Services.AddSingleton(sp => AdminApiKey.Load(
            sp.GetRequiredService<IOptions<SmartSealOptions>>().Value.AdminApiKey,
            DataDirectory.Resolve(sp),
            sp.GetRequiredService<IHostEnvironment>().IsDevelopment(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("SmartSeal.Cloud.Security")));
        builder.Services.AddSingleton<DeviceRepository>();
        builder.Services.AddSingleton<PositionStore>();
        builder.Services.AddObjectUnits<DeviceUnits>();
        builder.Services.AddSingleton<DeviceProvisioner>();
        builder.Services.AddHostedService<DeviceChangeWatcher>();
        builder.AddDeviceTransport();
        builder.AddIngest(CloudIngestPipeline.Default);
        builder.AddAlarms();
        builder.AddLiveFeed();
        builder.AddPhotos();
        builder.AddLedger();
        builder.AddCommands();
        builder.AddOrganisation();
        builder.AddSeals();
        builder.AddApplications();
        builder.AddCheckouts();
        builder.AddGate();
        builder.AddDocuments();
        builder.AddESealing();
        builder.AddReports();
        builder.AddApplicationFollowUps();
        builder.AddNotifications(); // issue 17 govops
        builder.AddRisk(); // issue 17 govops
        builder.AddAudits(); // issue 17 govaudit
        builder.AddPortal();

        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthTags.Ready])
            .AddCheck<BrokerHealthCheck>("broker", tags: [HealthTags.Ready]);
        return builder;
    }

    public static WebApplication MapSmartSealCloud(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePortalNotFoundPage();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapMqttWebSocket();
        // Open by design (listed in the authorization matrix): the API's description, no data.
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api/reference").AllowAnonymous();
        app.MapHealthEndpoints();
        // Counters name devices, units and load: sysadmins (the admin API key a scraper sends as its bearer token) only.
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.SysAdmin);
        app.MapDevicesApi();
        app.MapAlarmsApi();
        app.MapLiveFeedApi();
        app.MapPhotosApi();
        app.MapLedgerApi();
        app.MapCommandsApi();
        app.MapAuthApi();
        app.MapOrganisationApi();
        app.MapSealsApi();
        app.MapESealsApi();
        app.MapApplicationsApi();
        app.MapCheckoutsApi();
        app.MapFacesApi();
        app.MapDocumentsApi();
        app.MapESealingApi();
        app.MapReportsApi();
        app.MapApplicationFollowUpsApi();
        app.MapNotificationsApi(); // issue 17 govops
        app.MapRiskApi(); // issue 17 govops
        app.MapAuditsApi(); // issue 17 govaudit
        app.MapPortal();
        return app;
    }

    private static void AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        builder.Services.AddSingleton(sp =>
        {
            DatabaseOptions options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            string connection = options.ConnectionString is { Length: > 0 } configured
                ? configured
                : "Data Source=" + Path.Combine(DataDirectory.Resolve(sp), "smartseal.db");
            return new Database(options.Provider, connection);
        });
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<MigrationService>();
    }

    private static void AddDeviceSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => MasterKey.Load(
            sp.GetRequiredService<IOptions<SmartSealOptions>>().Value,
            DataDirectory.Resolve(sp),
            sp.GetRequiredService<IHostEnvironment>().IsDevelopment()));
        builder.Services.AddSingleton<DeviceKeyring>();
    }
}
