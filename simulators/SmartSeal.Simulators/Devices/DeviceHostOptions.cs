using SmartSeal.Firmware.Hardware;
using SmartSeal.Firmware.Link;
using SmartSeal.Simulators.Host;

namespace SmartSeal.Simulators.Devices;

/// <summary>What a simulated device needs from its host besides its identity.</summary>
public sealed class DeviceHostOptions
{
    public required BrokerEndpoint Broker { get; init; }

    /// <summary>The world's clock (host time, or a scenario's scripted clock).</summary>
    public required IClock Clock { get; init; }

    /// <summary>The device's flash: survives power cuts (and, as a <see cref="DirectoryStore"/>, restarts).</summary>
    public required IPersistentStore Flash { get; init; }

    public required TrafficCounters Traffic { get; init; }

    public required SimLog Log { get; init; }

    public CloudLinkSettings LinkSettings { get; init; } = new();

    public int QueueRecords { get; init; } = 512;

    public int QueueCriticalReserve { get; init; } = 64;

    /// <summary>Record outgoing events, refusals and alarms for the terminal view.</summary>
    public bool Tap { get; init; }

    public string Firmware { get; init; } = "sim-1.0";

    /// <summary>
    /// Render each photo as a real JPEG of the scene (<see cref="SceneCamera"/>), as the live devices
    /// the demo and hardware testers run do; off, the camera returns the few stub bytes, so fleets,
    /// fault and scale tests spend the link on events rather than pictures (one photo is ~7 chunks
    /// rendered, one stub).
    /// </summary>
    public bool ScenePhotos { get; init; }
}
