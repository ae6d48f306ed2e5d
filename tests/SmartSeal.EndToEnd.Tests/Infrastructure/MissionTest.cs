using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>A mission test class: the real cloud of <typeparamref name="TFactory"/> and a <see cref="Infrastructure.Mission"/> that drives devices and people against it.</summary>
public abstract class MissionTest<TFactory> : CloudTest<TFactory>
    where TFactory : CloudFactory
{
    protected MissionTest(TFactory cloud)
        : base(cloud)
    {
        Cloud = cloud;
        Mission = new Mission(cloud);
    }

    protected TFactory Cloud { get; }

    protected Mission Mission { get; }
}
