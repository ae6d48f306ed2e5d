namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>
/// Base of tests against the real host: starts it once per class (the fixture), and fails each
/// test after which the host has logged an error — as MQTTnet's tests do with their broker.
/// </summary>
public abstract class CloudTest<TFactory> : IClassFixture<TFactory>, IAsyncLifetime
    where TFactory : CloudFactory
{
    protected CloudTest(TFactory cloud)
    {
        _ = cloud.Server;
        Factory = cloud;
    }

    private TFactory Factory { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Factory.AssertNoErrors();
        return Task.CompletedTask;
    }
}
