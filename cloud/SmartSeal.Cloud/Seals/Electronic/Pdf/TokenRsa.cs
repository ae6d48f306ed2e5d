using System.Security.Cryptography;

namespace SmartSeal.Cloud.Seals.Electronic.Pdf;

/// <summary>
/// An RSA key whose private half is on the PKCS#11 token: <see cref="SignHash"/> sends the digest
/// to the token; nothing else of the private key exists here. It lets the framework's CMS
/// (<see cref="System.Security.Cryptography.Pkcs.SignedCms"/>) sign with a token key.
/// </summary>
public sealed class TokenRsa : RSA
{
    private readonly Pkcs11Token _token;
    private readonly string _label;
    private readonly RSAParameters _public;

    public TokenRsa(Pkcs11Token token, string label, RSAParameters publicKey)
    {
        _token = token;
        _label = label;
        _public = publicKey;
        KeySizeValue = publicKey.Modulus!.Length * 8;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    public override RSAParameters ExportParameters(bool includePrivateParameters) =>
        includePrivateParameters ? throw new CryptographicException("the private key stays on the token") : _public;

    public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException("a token key cannot be replaced");

    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        if (hashAlgorithm != HashAlgorithmName.SHA256 || padding != RSASignaturePadding.Pkcs1)
        {
            throw new CryptographicException("the token signs SHA-256 digests with PKCS#1 v1.5 only");
        }

        return _token.SignSha256(_label, hash);
    }

    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        using RSA verifier = Create(_public);
        return verifier.VerifyHash(hash, signature, hashAlgorithm, padding);
    }
}
