using Microsoft.Playwright;

namespace SmartSeal.Portal.Tests.Infrastructure;

/// <summary>
/// One cloud host and one headless Chromium for all browser tests (<see cref="PortalCollection"/>).
/// The browser is Debian's <c>chromium</c> package (scripts/setup.sh installs it), never one
/// Playwright downloads; when it is missing the tests fail and say how to install it.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string BrowserLanguage = "zh-CN";

    /// <summary>This process's environment with Chinese as the language (Chromium on Linux reads LANGUAGE/LANG for its UI language).</summary>
    private static Dictionary<string, string> ChineseEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        environment["LANGUAGE"] = "zh_CN";
        environment["LANG"] = "C.UTF-8"; // a locale every Debian has: with one not installed, Chromium reads non-ASCII file names wrongly
        return environment;
    }

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public PortalFactory Cloud { get; } = new();

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser did not start");

    public async Task InitializeAsync()
    {
        Cloud.Start();
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"{ChromiumPath} is missing: the portal's browser tests need Debian's chromium package. Run scripts/setup.sh (or apt-get install chromium).");
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The browser's own language is Chinese too: Chromium draws date/time inputs in its UI language
            // (年/月/日), which the context's Locale (Intl, navigator.language) does not change (issue 18).
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--lang=" + BrowserLanguage],
            Env = ChineseEnvironment(),
        });
    }

    /// <summary>A fresh browser profile (own cookies) in Chinese and the Shanghai time zone, like most users; phones pass a viewport.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null, bool phone = false)
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Cloud.BaseUrl,
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Cloud.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}
