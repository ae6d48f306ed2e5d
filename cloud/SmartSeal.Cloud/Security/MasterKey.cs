using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.Security;

/// <summary>The 32-byte master key: from configuration, or (Development only) generated once and kept in the data directory.</summary>
public sealed class MasterKey
{
    public MasterKey(byte[] bytes)
    {
        if (bytes.Length != 32)
        {
            throw new ArgumentException("the master key must be 32 bytes (64 hex characters)");
        }

        Bytes = bytes;
    }

    public byte[] Bytes { get; }

    public static MasterKey Load(SmartSealOptions options, string dataDirectory, bool development)
    {
        if (!string.IsNullOrWhiteSpace(options.MasterKey))
        {
            return new MasterKey(Convert.FromHexString(options.MasterKey.Trim()));
        }

        if (!development)
        {
            throw new OptionsValidationException(SmartSealOptions.Section, typeof(SmartSealOptions), ["SmartSeal:MasterKey is required outside Development (64 hex characters)"]);
        }

        string path = Path.Combine(dataDirectory, "master.key");
        if (File.Exists(path))
        {
            return new MasterKey(Convert.FromHexString(File.ReadAllText(path).Trim()));
        }

        byte[] key = RandomNumberGenerator.GetBytes(32);
        SecretFile.Write(path, Convert.ToHexString(key));
        return new MasterKey(key);
    }
}
