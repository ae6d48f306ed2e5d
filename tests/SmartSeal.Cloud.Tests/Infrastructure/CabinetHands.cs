using SmartSeal.Simulators.Devices;

namespace SmartSeal.Cloud.Tests.Infrastructure;

/// <summary>What a person does at a simulated cabinet's compartment, in step with its firmware.</summary>
public static class CabinetHands
{
    /// <summary>
    /// Opens the door, changes what the compartment's reader sees (a tag id, or empty: taken out),
    /// waits until the firmware's tag poll has read it, and (unless told) closes the door.
    /// </summary>
    public static async Task ChangeTagAsync(DeviceLoop loop, SimulatedCabinet cabinet, int compartment, string tag, bool close = true)
    {
        loop.Run(() => cabinet.SetDoor(compartment, true));
        await SwapTagAsync(cabinet, compartment, tag);
        if (close)
        {
            loop.Run(() => cabinet.SetDoor(compartment, false));
        }
    }

    /// <summary>Changes what the reader sees (the door as it is) and waits until the firmware has read it.</summary>
    public static async Task SwapTagAsync(SimulatedCabinet cabinet, int compartment, string tag)
    {
        cabinet.SetTag(compartment, tag);
        await Eventually.Async(() => cabinet.Compartments[compartment - 1].SeenTag == tag, $"the reader of compartment {compartment} read '{tag}'");
    }
}
