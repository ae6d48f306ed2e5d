using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Infrastructure;

/// <summary>
/// The real cloud host (<see cref="CloudFactory"/>: own data directory, SQLite, embedded broker)
/// served by Kestrel on a free loopback port, because a browser needs a real socket.
/// </summary>
public sealed class PortalFactory : CloudFactory
{
    public PortalFactory()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>
    /// WeCom is set up (so people can choose it on the notices page); nothing in the portal tests sends
    /// to it: a notice is only queued for someone who chose it, and no test notifies them afterwards.
    /// </summary>
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(SmartSeal.Cloud.Tests.ESeals.SoftHsm.Settings(_eSealToken))
    {
        ["SmartSeal:Notifications:WeCom:BaseUrl"] = "http://127.0.0.1:9",
        ["SmartSeal:Notifications:WeCom:CorpId"] = "ww-portal-tests",
        ["SmartSeal:Notifications:WeCom:CorpSecret"] = "portal-tests",
        ["SmartSeal:Notifications:WeCom:AgentId"] = "1000002",
    };

    /// <summary>The e-seal keys live on a SoftHSM2 token of this host's own (issue 16: a real PKCS#11 token in the tests).</summary>
    private readonly string _eSealToken = SmartSeal.Cloud.Tests.ESeals.SoftHsm.NewTokenLabel();

    /// <summary>"http://127.0.0.1:port", once <see cref="Start"/> ran.</summary>
    public string BaseUrl { get; private set; } = "";

    public void Start()
    {
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }
}
