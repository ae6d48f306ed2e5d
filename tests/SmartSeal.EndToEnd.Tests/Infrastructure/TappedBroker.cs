using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using SmartSeal.Cloud.Devices;
using SmartSeal.Cloud.Mqtt;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The cloud's embedded broker with a wiretap: records everything the cloud publishes to devices
/// (commands, desired state, acks), as an attacker on the wire would, and lets a test inject raw
/// bytes onto any device topic, as an attacker inside the broker could — without any device key.
/// </summary>
public sealed class TappedBroker(EmbeddedDeviceBroker inner) : IDeviceBroker, IHostedService
{
    private readonly ConcurrentQueue<(string Topic, byte[] Payload, bool Retain)> _published = new();

    public bool IsReady => inner.IsReady;

    public IReadOnlyList<(string Topic, byte[] Payload, bool Retain)> Published => _published.ToArray();

    public string Describe() => inner.Describe();

    public Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken = default)
    {
        _published.Enqueue((topic, payload.ToArray(), retain));
        return inner.PublishAsync(topic, payload, retain, cancellationToken);
    }

    /// <summary>Raw bytes onto a topic, bypassing the cloud: the attacker's publish.</summary>
    public Task InjectAsync(string topic, byte[] payload, bool retain = false) => inner.PublishAsync(topic, payload, retain);

    public Task StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);
}
