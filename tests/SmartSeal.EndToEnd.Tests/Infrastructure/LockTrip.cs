using SmartSeal.Cloud.Tests.Infrastructure;
using SmartSeal.Simulators.Devices;

namespace SmartSeal.EndToEnd.Tests.Infrastructure;

/// <summary>A lock on the road: online, its seal bound under an approved take-out application, the token on the device. Disposing stops its loop.</summary>
public sealed record LockTrip(string LockId, SimulatedLock Device, DeviceLoop Loop, string ApplicationId) : IDisposable
{
    public void Dispose() => Loop.Dispose();
}
