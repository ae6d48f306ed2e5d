using Iot.Device.Media;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Cabinet.Linux.Hardware;

/// <summary>
/// A USB or CSI camera through V4L2 (the binding's <see cref="VideoDevice"/>), asked for JPEG
/// frames so photos go to the cloud as they come. Opened per photo: a camera unplugged between
/// hand-overs only costs that photo (the core then raises a camera-failure alarm).
/// </summary>
public sealed class V4l2Camera(int bus, uint width, uint height) : ICamera
{
    public byte[]? Capture()
    {
        try
        {
            using VideoDevice device = VideoDevice.Create(new VideoConnectionSettings(bus, (width, height), VideoPixelFormat.MJPEG));
            byte[] frame = device.Capture();
            return frame.Length > 0 ? frame : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
