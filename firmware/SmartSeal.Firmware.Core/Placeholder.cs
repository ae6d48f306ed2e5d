namespace SmartSeal.Firmware
{
    internal static class Placeholder { }
}
