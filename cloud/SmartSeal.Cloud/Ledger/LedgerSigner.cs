using System.Security.Cryptography;
using SmartSeal.Cloud.Security;
using SmartSeal.Protocol.Text;

namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// Signs checkpoints with the cloud's ECDSA P-256 ledger key, so anyone holding the public key
/// (<c>/api/ledger/public-key</c>) can check them without being able to forge one. The private key
/// comes from <c>SmartSeal:Ledger:SigningKeyPath</c> (PEM, PKCS#8), or is generated once into the
/// data directory.
/// </summary>
public sealed class LedgerSigner : IDisposable
{
    private readonly ECDsa _key;

    public LedgerSigner(string pemPath)
    {
        _key = ECDsa.Create();
        if (File.Exists(pemPath))
        {
            _key.ImportFromPem(File.ReadAllText(pemPath));
        }
        else
        {
            _key.GenerateKey(ECCurve.NamedCurves.nistP256);
            SecretFile.Write(pemPath, _key.ExportPkcs8PrivateKeyPem());
        }

        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
        KeyId = Convert.ToHexStringLower(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()))[..16];
    }

    public string PublicKeyPem { get; }

    /// <summary>The first 16 hex digits of the SHA-256 of the public key.</summary>
    public string KeyId { get; }

    public string Sign(byte[] data) => Base64Url.Encode(_key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <summary>Checks a signature against a PEM public key (the verifier's side: no private key needed).</summary>
    public static bool Verify(string publicKeyPem, byte[] data, string signature)
    {
        using ECDsa key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        byte[]? raw = Base64Url.Decode(signature);
        return raw != null && key.VerifyData(data, raw, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose() => _key.Dispose();
}
