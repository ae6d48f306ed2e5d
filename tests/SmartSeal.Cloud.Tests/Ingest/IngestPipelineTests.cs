using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SmartSeal.Cloud.Ingest;
using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Hosting;
using SmartSeal.Cloud.Ingest.Handlers;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Ingest;

/// <summary>The ingest order is the one list in Hosting/CloudIngestPipeline.cs, and nothing runs that the list does not name.</summary>
public class IngestPipelineTests(CloudFactory cloud) : CloudTest<CloudFactory>(cloud)
{
    private readonly CloudFactory _cloud = cloud;

    [Fact]
    public void The_running_host_runs_exactly_the_listed_handlers_in_the_listed_order()
    {
        Type[] running = _cloud.Service<IngestService>().Handlers.Select(h => h.GetType()).ToArray();
        Assert.Equal(CloudIngestPipeline.Default.Handlers, running);
        Assert.Equal(
            [typeof(VerifyHandler), typeof(RateLimitHandler), typeof(StoreHandler), typeof(BindingHandler)],
            running.Take(4));
        Assert.Equal(typeof(NotifyHandler), running[^1]);
        Assert.True(Array.IndexOf(running, typeof(BindingHandler)) < Array.IndexOf(running, typeof(CheckoutEventHandler)));
        Assert.True(Array.IndexOf(running, typeof(CheckoutEventHandler)) < Array.IndexOf(running, typeof(UseLedgerHandler)));
    }

    [Fact]
    public async Task A_handler_registered_outside_the_list_stops_the_host_at_startup()
    {
        await using var stray = new StrayHandlerCloudFactory();
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => stray.Server);
        Assert.Contains("registered outside the pipeline list", refused.Message);
        Assert.Contains(nameof(StrayHandler), refused.Message);
    }

    [Fact]
    public void A_listed_handler_that_is_not_registered_or_is_registered_twice_is_refused()
    {
        var pipeline = new IngestPipeline([typeof(StrayHandler), typeof(LateHandler)]);
        Assert.Contains("registered 0 times", Assert.Throws<InvalidOperationException>(() => pipeline.Order([new StrayHandler()])).Message);
        Assert.Contains("registered 2 times", Assert.Throws<InvalidOperationException>(() => pipeline.Order([new StrayHandler(), new StrayHandler(), new LateHandler()])).Message);
    }

    [Fact]
    public void A_list_whose_stages_go_backwards_is_refused()
    {
        var backwards = new IngestPipeline([typeof(LateHandler), typeof(StrayHandler)]);
        Assert.Contains("stages must not go backwards", Assert.Throws<InvalidOperationException>(() => backwards.Order([new StrayHandler(), new LateHandler()])).Message);
        Assert.Equal([typeof(StrayHandler), typeof(LateHandler)], new IngestPipeline([typeof(StrayHandler), typeof(LateHandler)]).Order([new LateHandler(), new StrayHandler()]).Select(h => h.GetType()));
    }

    /// <summary>Registered by an area's <c>AddX</c> as handlers used to be, but not listed.</summary>
    public sealed class StrayHandler : IIngestHandler
    {
        public IngestStage Stage => IngestStage.Domain;

        public Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public sealed class LateHandler : IIngestHandler
    {
        public IngestStage Stage => IngestStage.AfterCommit;

        public Task HandleAsync(IngestBatch batch, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class StrayHandlerCloudFactory : CloudFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IIngestHandler, StrayHandler>());
        }
    }
}
