namespace SmartSeal.Protocol
{
    internal static class Placeholder { }
}
