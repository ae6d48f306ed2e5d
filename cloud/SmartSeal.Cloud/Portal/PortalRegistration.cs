using System.Globalization;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.LiveFeed;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Portal;

/// <summary>
/// The web portal (Razor Pages under <c>Portal/Pages</c>, hardware-docs/adr/0006): cookie sign-in,
/// zh-CN / English texts, the user's time zone, its static files and its live event stream.
/// Everything outside <c>/api</c>; the API keeps its bearer-only authentication.
/// </summary>
public static class PortalRegistration
{
    public const string DefaultCulture = "zh-CN";
    public const string AssetsPath = "/portal/assets";
    public const string LeafletRequestPath = "/portal/lib/leaflet";
    public const string EventsPath = "/portal/events";
    public const string NotFoundPage = "/NotFound";

    /// <summary>The languages the portal speaks, by culture name; the first is the default.</summary>
    public static readonly string[] Cultures = [DefaultCulture, "en"];

    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        // Chinese text stays readable in the page source (the default encoder escapes everything outside Basic Latin).
        builder.Services.AddWebEncoders(options => options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Portal/Pages";
            options.Conventions.AuthorizeFolder("/", PortalPolicies.SignedIn);
            options.Conventions.AllowAnonymousToPage("/Account/SignIn");
            options.Conventions.AllowAnonymousToPage("/Account/Denied");
            options.Conventions.AllowAnonymousToPage("/Account/Language");
            options.Conventions.AllowAnonymousToPage("/Verify/Index"); // eseal: anyone verifies a sealed PDF
            options.Conventions.AllowAnonymousToPage(NotFoundPage); // issue 18: an unknown URL is the portal's 404 page, signed in or not
            options.Conventions.AuthorizePage("/Applications/New", PortalPolicies.Applicant);
            options.Conventions.AuthorizePage("/Applications/Index", PortalPolicies.Applicant);
            options.Conventions.AuthorizeFolder("/Approvals", PortalPolicies.Approver);
            options.Conventions.AuthorizeFolder("/Devices", PortalPolicies.Keeper);
            options.Conventions.AuthorizeFolder("/Alarms", PortalPolicies.Keeper);
            options.Conventions.AuthorizeFolder("/Seals", PortalPolicies.Keeper);
            options.Conventions.AuthorizeFolder("/Map", PortalPolicies.Keeper);
            options.Conventions.AuthorizeFolder("/Ledger", PortalPolicies.Auditor);
            options.Conventions.AuthorizeFolder("/Board", PortalPolicies.BoardReader);
            options.Conventions.AuthorizeFolder("/Reports", PortalPolicies.Auditor);
            options.Conventions.AuthorizeFolder("/Keeper", PortalPolicies.Keeper);
            // issue 17 govaudit: auditors work on audits; a unit's keeper or head answers on /Audits/Rectifications (signed in; the service checks the unit).
            options.Conventions.AuthorizePage("/Audits/Index", PortalPolicies.Auditor);
            options.Conventions.AuthorizePage("/Audits/Detail", PortalPolicies.Auditor);
        });
        builder.Services.AddAuthentication().AddCookie(PortalAuthentication.SchemeName, PortalAuthentication.Configure);
        PortalPolicies.Add(builder.Services.AddAuthorizationBuilder());
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<PortalClock>();
        builder.Services.AddScoped<PortalPeople>();

        // Cookie and antiforgery keys live in the data directory, so sign-ins survive a restart
        // (instances behind one load balancer need the same directory or their own key store).
        builder.Services.AddDataProtection();
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, services) =>
            options.XmlRepository = new FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(DataDirectory.Resolve(services), "portal-keys")),
                services.GetRequiredService<ILoggerFactory>()));
        return builder;
    }

    /// <summary>Everything but the machine endpoints (API, health, metrics, OpenAPI, MQTT over WebSocket).</summary>
    public static bool IsPortalRequest(HttpContext context)
    {
        PathString path = context.Request.Path;
        return !(path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics")
            || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/mqtt"));
    }

    private static bool IsUnknownPortalPage(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && context.GetEndpoint() is null
        && IsPortalRequest(context);

    /// <summary>
    /// A folder relative to the content root (running from the project folder) or, when the host
    /// was started from anywhere else (a service, the demo, the bench), next to the program, where
    /// the build copies the assets.
    /// </summary>
    private static string Located(string relative, string contentRoot)
    {
        string fromContentRoot = Path.GetFullPath(relative, contentRoot);
        string besideProgram = Path.GetFullPath(relative, AppContext.BaseDirectory);
        return Directory.Exists(fromContentRoot) || !Directory.Exists(besideProgram) ? fromContentRoot : besideProgram;
    }

    /// <summary>
    /// issue 18: a page URL no endpoint matched (nor a file) gets the portal's 404 page. Only GET/HEAD outside
    /// the machine paths and only when routing found nothing: the API's 401/404/405 problem details, form posts
    /// and a page's own 404 stay with the host's status-code pages. Goes before authentication and authorization,
    /// so the re-executed request (routed again to /NotFound, status kept 404) knows its user and passes them.
    /// Not in a UseWhen branch: a branch has no global route builder, so re-execution would not route again.
    /// </summary>
    public static WebApplication UsePortalNotFoundPage(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute(NotFoundPage);
        app.Use((context, next) =>
        {
            if (!IsUnknownPortalPage(context) && context.Features.Get<IStatusCodePagesFeature>() is { } reExecute)
            {
                reExecute.Enabled = false;
            }

            return next(context);
        });
        return app;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        var cultures = Cultures.Select(CultureInfo.GetCultureInfo).ToList();
        var localization = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(DefaultCulture),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            RequestCultureProviders = [new CookieRequestCultureProvider()],
        };
        app.UseWhen(IsPortalRequest, portal => portal.UseRequestLocalization(localization));

        PortalOptions options = app.Services.GetRequiredService<IOptions<PortalOptions>>().Value;
        string contentRoot = app.Environment.ContentRootPath;
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Located(Path.Combine("Portal", "Assets"), contentRoot)),
            RequestPath = AssetsPath,
        });
        string leaflet = Located(options.LeafletPath, contentRoot);
        if (Directory.Exists(leaflet))
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(leaflet), RequestPath = LeafletRequestPath });
        }
        else
        {
            app.Logger.LogWarning("Leaflet is not installed at {Path} (run scripts/setup.sh); the portal's maps will not load", leaflet);
        }

        app.MapRazorPages();
        app.MapLiveFeedStream(EventsPath).RequireAuthorization(PortalPolicies.SignedIn).ExcludeFromDescription();
        return app;
    }
}
