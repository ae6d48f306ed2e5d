using System.Text.Json;
using SmartSeal.Protocol.IotHub;
using SmartSeal.Protocol.Security;

namespace SmartSeal.Protocol.Tests.IotHub;

/// <summary>IoT Hub SAS tokens and usernames against vectors computed outside .NET (Vectors/iothub.json, Python hmac/base64/urllib).</summary>
public class IotHubSasTokenTests
{
    public sealed record DeviceVector(string DeviceId, int KeyVersion, string SymmetricKeyBase64, long Expiry, string Username, string SasToken);

    public sealed record ServiceVector(string PolicyName, string KeyBase64, long Expiry, string SasToken);

    public sealed record EncodingVector(string Text, string Encoded);

    public sealed record IotHubVectors(string HostName, DeviceVector[] Devices, ServiceVector Service, EncodingVector[] Encoding);

    public sealed record MasterOnly(string MasterKeyHex);

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    private static readonly IotHubVectors Vectors = JsonSerializer.Deserialize<IotHubVectors>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "iothub.json")), Options)!;

    private static readonly byte[] Master = Convert.FromHexString(JsonSerializer.Deserialize<MasterOnly>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "credentials.json")), Options)!.MasterKeyHex);

    public static TheoryData<int> DeviceIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Vectors.Devices.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DeviceIndexes))]
    public void Device_token_username_and_registry_key_come_from_the_same_key_derivation(int index)
    {
        DeviceVector v = Vectors.Devices[index];
        byte[] key = DeviceKeys.Derive(Master, v.DeviceId, v.KeyVersion);

        Assert.Equal(v.SymmetricKeyBase64, IotHubSasToken.EncodeKey(key));
        Assert.Equal(v.Username, IotHubTopics.Username(Vectors.HostName, v.DeviceId));
        Assert.Equal(v.SasToken, IotHubSasToken.ForDevice(Vectors.HostName, v.DeviceId, key, v.Expiry));

        IotHubSasToken parsed = IotHubSasToken.Parse(v.SasToken)!;
        Assert.Equal(IotHubSasToken.DeviceResource(Vectors.HostName, v.DeviceId), parsed.Resource);
        Assert.Null(parsed.PolicyName);
        Assert.Equal(ProtocolError.None, parsed.Verify(IotHubSasToken.DeviceResource(Vectors.HostName, v.DeviceId), null, key, v.Expiry - 60, 3600));
    }

    [Fact]
    public void Service_token_carries_the_policy_name_and_verifies_with_the_policy_key()
    {
        ServiceVector v = Vectors.Service;
        byte[] key = Convert.FromBase64String(v.KeyBase64);
        Assert.Equal(v.SasToken, IotHubSasToken.Create(Vectors.HostName, key, v.Expiry, v.PolicyName));

        IotHubSasToken parsed = IotHubSasToken.Parse(v.SasToken)!;
        Assert.Equal(v.PolicyName, parsed.PolicyName);
        Assert.Equal(ProtocolError.None, parsed.Verify(Vectors.HostName, v.PolicyName, key, v.Expiry - 10, 3600));
        Assert.Equal(ProtocolError.PasswordMalformed, parsed.Verify(Vectors.HostName, "iothubowner", key, v.Expiry - 10, 3600));
    }

    [Fact]
    public void Url_encoding_matches_python_quote_with_nothing_safe_and_round_trips()
    {
        foreach (EncodingVector v in Vectors.Encoding)
        {
            Assert.Equal(v.Encoded, UrlEncoding.Encode(v.Text));
            Assert.Equal(v.Text, UrlEncoding.Decode(v.Encoded));
        }

        Assert.Null(UrlEncoding.Decode("%4"));
        Assert.Null(UrlEncoding.Decode("%zz"));
        Assert.Null(UrlEncoding.Decode("%C3%28")); // not UTF-8
    }

    [Fact]
    public void Tokens_are_refused_for_another_device_a_wrong_key_expiry_or_too_long_a_life()
    {
        DeviceVector v = Vectors.Devices[0];
        byte[] key = DeviceKeys.Derive(Master, v.DeviceId, v.KeyVersion);
        IotHubSasToken parsed = IotHubSasToken.Parse(v.SasToken)!;
        string resource = IotHubSasToken.DeviceResource(Vectors.HostName, v.DeviceId);

        Assert.Equal(ProtocolError.PasswordMalformed, parsed.Verify(IotHubSasToken.DeviceResource(Vectors.HostName, "lock-0002"), null, key, v.Expiry - 60, 3600));
        Assert.Equal(ProtocolError.PasswordBadSignature, parsed.Verify(resource, null, DeviceKeys.Derive(Master, "lock-0002", 1), v.Expiry - 60, 3600));
        Assert.Equal(ProtocolError.PasswordExpired, parsed.Verify(resource, null, key, v.Expiry, 3600));
        Assert.Equal(ProtocolError.PasswordLifetimeTooLong, parsed.Verify(resource, null, key, v.Expiry - 7200, 3600));
        Assert.Equal(ProtocolError.PasswordMalformed, parsed.Verify(resource, "service", key, v.Expiry - 60, 3600));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sr=a&sig=b&se=1")]
    [InlineData("SharedAccessSignature sr=a&se=1800000000")]
    [InlineData("SharedAccessSignature sr=a&sig=AAAA&se=1800000000")]
    [InlineData("SharedAccessSignature sr=a&sig=MSlHLC29wSOc2CLX9L0zD9uGCmQGuU6wXjXlYT2RDlQ%3D&se=01800000000")]
    [InlineData("SharedAccessSignature sr=a&sig=MSlHLC29wSOc2CLX9L0zD9uGCmQGuU6wXjXlYT2RDlQ%3D&se=18x")]
    [InlineData("SharedAccessSignature sr=a&sig=MSlHLC29wSOc2CLX9L0zD9uGCmQGuU6wXjXlYT2RDlQ%3D&se=1&se=2")]
    [InlineData("SharedAccessSignature sr=a&sig=MSlHLC29wSOc2CLX9L0zD9uGCmQGuU6wXjXlYT2RDlQ%3D&se=1&extra=2")]
    [InlineData("SharedAccessSignature sr=%G1&sig=MSlHLC29wSOc2CLX9L0zD9uGCmQGuU6wXjXlYT2RDlQ%3D&se=1")]
    public void Malformed_tokens_do_not_parse(string? token)
    {
        Assert.Null(IotHubSasToken.Parse(token!));
    }
}
