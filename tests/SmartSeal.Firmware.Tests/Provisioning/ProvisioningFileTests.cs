using System.Text;
using System.Text.RegularExpressions;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Json;
using SmartSeal.Protocol.Provisioning;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Firmware.Tests.Provisioning;

/// <summary>The device.json reader/writer shared by the cloud CLI, the simulators and the ESP32 apps, against its documentation.</summary>
public class ProvisioningFileTests
{
    private static readonly byte[] TestMaster = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    private static string DocumentedExample()
    {
        string doc = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "hardware-docs", "provisioning.md"));
        Match match = Regex.Match(doc, @"<!-- example device.json -->\s*```json\s*(\{.*?\n\})\s*```", RegexOptions.Singleline);
        Assert.True(match.Success, "provisioning.md lost its example device.json block");
        return match.Groups[1].Value;
    }

    private static ProvisioningFile Parse(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        return ProvisioningFile.Parse(bytes, 0, bytes.Length);
    }

    [Fact]
    public void The_documented_example_parses_to_the_documented_key()
    {
        ProvisioningFile file = Parse(DocumentedExample());
        Assert.Equal("lock-0001", file.DeviceId);
        Assert.Equal(ProvisioningFile.KindLock, file.Kind);
        Assert.Equal(DeviceKeys.Derive(TestMaster, "lock-0001", 1), file.Key);
        Assert.Equal(8883, file.BrokerPort);
        Assert.True(file.BrokerTls);
        Assert.Equal("cmiot", file.CellularApn);
    }

    [Fact]
    public void What_the_writer_writes_the_reader_reads_back_for_both_kinds()
    {
        var cabinet = new ProvisioningFile
        {
            DeviceId = "cab-hq-01", Kind = ProvisioningFile.KindCabinet, KeyVersion = 3, Key = DeviceKeys.Derive(TestMaster, "cab-hq-01", 3),
            BrokerHost = "127.0.0.1", BrokerPort = 1883, BrokerTls = false, WifiSsid = "seal-office", WifiPassword = "p@ss \"quoted\"",
        };
        var writer = new JsonWriter();
        cabinet.Write(writer);
        byte[] bytes = writer.ToArray();
        ProvisioningFile back = ProvisioningFile.Parse(bytes, 0, bytes.Length);
        Assert.Equal(cabinet.Key, back.Key);
        Assert.Equal(3, back.KeyVersion);
        Assert.Equal("p@ss \"quoted\"", back.WifiPassword);
        Assert.Null(back.CellularApn);

        ProvisioningFile lockFile = Parse(DocumentedExample());
        lockFile.BrokerPasswordExpiry = 1_900_000_000;
        lockFile.BrokerProfile = ProvisioningFile.ProfileIotHub;
        lockFile.Write(writer);
        ProvisioningFile reread = ProvisioningFile.Parse(writer.ToArray(), 0, writer.Length);
        Assert.Equal(1_900_000_000, reread.BrokerPasswordExpiry);
        Assert.Equal(ProvisioningFile.ProfileIotHub, reread.BrokerProfile);
        Assert.Equal(ProvisioningFile.ProfileSmartSeal, Parse(DocumentedExample()).BrokerProfile);
        bytes = writer.ToArray();
        Assert.Equal(lockFile.BrokerCaPem, ProvisioningFile.Parse(bytes, 0, bytes.Length).BrokerCaPem);
    }

    [Theory]
    [InlineData("\"keyHex\": \"fc1f", "\"keyHex\": \"FC1F", ProtocolError.ProvisioningBadField, "lower-case")]
    [InlineData("\"keyVersion\": 1,", "\"keyVersion\": 1, \"keyVerison\": 2,", ProtocolError.ProvisioningUnknownField, "keyVerison")]
    [InlineData("\"tls\": true,", "\"tls\": true, \"insecure\": true,", ProtocolError.ProvisioningUnknownField, "broker.insecure")]
    [InlineData("\"format\": 1,", "\"format\": 2,", ProtocolError.ProvisioningUnsupportedFormat, "format 2")]
    [InlineData("\"port\": 8883,", "\"port\": 8883.0,", ProtocolError.JsonNumberNotInteger, "")]
    [InlineData("\"kind\": \"lock\",", "\"kind\": \"cabinet\",", ProtocolError.ProvisioningMissingField, "wifi.ssid")]
    [InlineData("\"deviceId\": \"lock-0001\",", "\"deviceId\": \"lock 0001\",", ProtocolError.ProvisioningBadField, "deviceId")]
    [InlineData("\"tls\": true,", "\"tls\": true, \"passwordExpiry\": -5,", ProtocolError.ProvisioningBadField, "broker.passwordExpiry")]
    [InlineData("\"tls\": true,", "\"tls\": true, \"profile\": \"aws\",", ProtocolError.ProvisioningBadField, "broker.profile")]
    public void A_wrong_file_is_refused_naming_the_field(string find, string replace, ProtocolError error, string mentions)
    {
        string json = DocumentedExample();
        Assert.Contains(find, json);
        var refused = Assert.Throws<ProtocolException>(() => Parse(json.Replace(find, replace, StringComparison.Ordinal)));
        Assert.Equal(error, refused.Error);
        Assert.Contains(mentions, refused.Message);
    }

    [Fact]
    public void Tls_without_a_CA_and_a_lock_without_an_APN_are_refused()
    {
        string json = DocumentedExample();
        string noCa = Regex.Replace(json, @",\s*""caPem"": ""[^""]*""", string.Empty);
        Assert.Contains("broker.caPem", Assert.Throws<ProtocolException>(() => Parse(noCa)).Message);
        string noApn = json.Replace("\"apn\": \"cmiot\",", string.Empty, StringComparison.Ordinal);
        Assert.Contains("cellular.apn", Assert.Throws<ProtocolException>(() => Parse(noApn)).Message);
    }

    [Fact]
    public void A_gate_round_trips_without_wifi_or_cellular_and_refuses_either()
    {
        var gate = new ProvisioningFile
        {
            DeviceId = "gate-hq-01", Kind = ProvisioningFile.KindGate, KeyVersion = 1, Key = DeviceKeys.Derive(TestMaster, "gate-hq-01", 1),
            BrokerHost = "127.0.0.1", BrokerPort = 1883, BrokerTls = false,
        };
        var writer = new JsonWriter();
        gate.Write(writer);
        byte[] bytes = writer.ToArray();
        string json = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("wifi", json, StringComparison.Ordinal);
        Assert.DoesNotContain("cellular", json, StringComparison.Ordinal);
        ProvisioningFile back = ProvisioningFile.Parse(bytes, 0, bytes.Length);
        Assert.Equal(ProvisioningFile.KindGate, back.Kind);
        Assert.Equal(gate.Key, back.Key);

        string withWifi = json.Replace("}}", "},\"wifi\":{\"ssid\":\"x\",\"password\":\"\"}}", StringComparison.Ordinal);
        Assert.Contains("a gate uses its host's network", Assert.Throws<ProtocolException>(() => Parse(withWifi)).Message);
    }
}
