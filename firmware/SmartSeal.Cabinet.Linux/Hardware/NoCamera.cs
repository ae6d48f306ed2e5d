using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Cabinet.Linux.Hardware;

/// <summary>A cabinet without a camera: every photo fails, which the core reports as a camera-failure alarm.</summary>
public sealed class NoCamera : ICamera
{
    public byte[]? Capture() => null;
}
