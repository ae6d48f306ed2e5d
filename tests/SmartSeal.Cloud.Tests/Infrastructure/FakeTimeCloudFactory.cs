using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>
/// The real host on a <see cref="FakeTimeProvider"/> (starting at the real now): a test passes
/// time with <see cref="Time"/>.Advance instead of sleeping, so sweepers, expiry and deadlines act
/// at once and exactly. Timers on that provider (the sweepers' own intervals) fire only when a test
/// advances past them; tests call the sweep they need.
/// </summary>
public class FakeTimeCloudFactory : CloudFactory
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The host's now, in Unix milliseconds (what tests put in windows and deadlines).</summary>
    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));

        // The approval escalation sweep would remind and escalate every overdue step once a test moves the clock by days;
        // its timer (at most ~49 days on a PeriodicTimer) stays out of the way, and Governance/EscalationTests sweep themselves.
        builder.UseSetting("SmartSeal:Approvals:EscalationSweepInterval", "40.00:00:00");
    }
}
