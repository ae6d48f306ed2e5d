using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>Options that never change, for services built by hand outside the host.</summary>
public sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
