using System.Text.Json;
using SmartSeal.Protocol;
using SmartSeal.Protocol.Security;
using SmartSeal.Protocol.Text;

namespace SmartSeal.Protocol.Tests.Security;

/// <summary>Golden vectors computed outside .NET (Python hmac): keys, passwords and photo MACs.</summary>
public class CredentialVectorTests
{
    public sealed record DeviceVector(string DeviceId, int KeyVersion, string DeviceKeyHex, long PasswordExpiry, string Password, string PhotoHex, string PhotoMac);

    public sealed record CredentialVectors(string MasterKeyHex, DeviceVector[] Devices);

    private static readonly CredentialVectors Vectors = JsonSerializer.Deserialize<CredentialVectors>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "credentials.json")),
        new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

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
    public void Device_key_password_and_photo_mac_match_the_vectors(int index)
    {
        DeviceVector v = Vectors.Devices[index];
        byte[] master = Convert.FromHexString(Vectors.MasterKeyHex);
        byte[] key = DeviceKeys.Derive(master, v.DeviceId, v.KeyVersion);

        Assert.Equal(v.DeviceKeyHex, Convert.ToHexStringLower(key));
        Assert.Equal(v.Password, BrokerPassword.Create(v.DeviceId, key, v.PasswordExpiry));
        Assert.Equal(ProtocolError.None, BrokerPassword.Verify(v.Password, v.DeviceId, key, v.PasswordExpiry - 60, 3600));
        Assert.Equal(v.PhotoMac, Base64Url.Encode(Mac.Compute(key, Convert.FromHexString(v.PhotoHex))));
    }
}
