using SmartSeal.Cabinet.Linux.Configuration;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Provisioning;

namespace SmartSeal.Cabinet.Linux.Tests;

/// <summary>The host refuses, at start and by name, a device.json it could never connect with.</summary>
public sealed class DeviceFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("linuxcab-device-").FullName;

    [Theory]
    [InlineData(true, ProvisioningFile.ProfileSmartSeal, "asks for a TLS broker, which the Linux host does not speak yet")]
    [InlineData(false, ProvisioningFile.ProfileIotHub, "uses the 'iothub' broker profile")]
    public void A_device_file_for_TLS_or_IoT_Hub_is_refused(bool tls, string profile, string message)
    {
        string path = Write(new ProvisioningFile
        {
            DeviceId = "cab-pi-03", Kind = ProvisioningFile.KindCabinet, KeyVersion = 1, Key = new byte[32], BrokerHost = "broker.example", BrokerPort = tls ? 8883 : 1883,
            BrokerTls = tls, BrokerCaPem = tls ? "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" : null, BrokerProfile = profile, WifiSsid = "site", WifiPassword = string.Empty,
        });
        Assert.Contains(message, Assert.Throws<CabinetConfigException>(() => CabinetHost.RefuseWhatTheTransportCannotSpeak(path)).Message);
    }

    [Fact]
    public void A_missing_or_malformed_device_file_is_named()
    {
        Assert.Contains("does not exist", Assert.Throws<CabinetConfigException>(() => CabinetHost.RefuseWhatTheTransportCannotSpeak(Path.Combine(_dir, "none.json"))).Message);
        string broken = Path.Combine(_dir, "device.json");
        File.WriteAllText(broken, """{ "format": 1, "id": "cab-pi-03" }""");
        Assert.StartsWith($"deviceFile: {broken}: ", Assert.Throws<CabinetConfigException>(() => CabinetHost.RefuseWhatTheTransportCannotSpeak(broken)).Message);
    }

    [Fact]
    public void A_plain_SmartSeal_device_file_passes()
    {
        string path = Write(new ProvisioningFile
        {
            DeviceId = "cab-pi-03", Kind = ProvisioningFile.KindCabinet, KeyVersion = 1, Key = new byte[32], BrokerHost = "10.0.0.2", BrokerPort = 1883,
            WifiSsid = "site", WifiPassword = string.Empty,
        });
        CabinetHost.RefuseWhatTheTransportCannotSpeak(path);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(ProvisioningFile file)
    {
        var writer = new JsonWriter();
        file.Write(writer);
        string path = Path.Combine(_dir, "device.json");
        File.WriteAllBytes(path, writer.ToArray());
        return path;
    }
}
