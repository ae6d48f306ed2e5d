namespace SmartSeal.Firmware.Hardware
{
    /// <summary>A JPEG camera (VC0706-protocol UART camera on the device).</summary>
    public interface ICamera
    {
        /// <summary>Takes one JPEG photo; null when the camera does not answer within its timeout.</summary>
        byte[] Capture();
    }
}
