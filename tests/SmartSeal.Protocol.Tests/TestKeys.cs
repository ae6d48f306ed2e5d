using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.Tests;

/// <summary>Fixed keys shared by the protocol tests (never used outside tests).</summary>
internal static class TestKeys
{
    public static readonly byte[] Master = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    public static byte[] Device(string deviceId, int version = 1) => DeviceKeys.Derive(Master, deviceId, version);
}
