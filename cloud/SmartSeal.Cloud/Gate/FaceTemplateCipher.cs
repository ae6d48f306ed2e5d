using System.Security.Cryptography;
using System.Text;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Gate;

/// <summary>
/// Templates at rest: AES-256-GCM with a key derived from the master key (HKDF-SHA256, its own
/// label, so it is never a device key), a fresh nonce per enrolment, and the login and recipe as
/// associated data: a row copied onto another person, or relabelled to another recipe, does not open.
/// </summary>
public sealed class FaceTemplateCipher(MasterKey master)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, master.Bytes, 32, salt: [], info: Encoding.UTF8.GetBytes("smartseal/face-templates/v1"));

    public byte[] Seal(byte[] plain, string login, string recipe)
    {
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        Span<byte> nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Associated(login, recipe));
        return sealedBytes;
    }

    /// <summary>The plain templates; throws <see cref="CryptographicException"/> when the row was altered or moved.</summary>
    public byte[] Open(byte[] sealedBytes, string login, string recipe)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("sealed templates too short");
        }

        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), plain, Associated(login, recipe));
        return plain;
    }

    private static byte[] Associated(string login, string recipe) => Encoding.UTF8.GetBytes($"face-templates\n{login}\n{recipe}");
}
