using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Ledger;

/// <summary>
/// The cloud's own RFC 3161 time-stamping authority: it answers a DER TimeStampReq with a
/// TimeStampResp whose token is a CMS SignedData over a TSTInfo (content type id-ct-TSTInfo,
/// ESS signing-certificate-v2), signed with a key of its own — not the ledger signing key, so one
/// stolen key does not forge both a checkpoint and the time it existed. The key and its
/// self-signed certificate (critical extended key usage timeStamping, as §2.3 requires) come from
/// <c>SmartSeal:Ledger:TimeStampKeyPath</c>, or are generated once into the data directory outside
/// Production.
/// </summary>
public sealed class LedgerTimeStampAuthority : IDisposable
{
    /// <summary>The policy every token names: 2.25.{UUID} (ITU-T X.667), a name no one else uses.</summary>
    public static readonly Oid Policy = new("2.25.118170561256014685860949419453517539724", "SmartSeal ledger time-stamp policy");

    private static readonly HashSet<string> AcceptedHashes = [HashAlgorithmName.SHA256.Name!, HashAlgorithmName.SHA384.Name!, HashAlgorithmName.SHA512.Name!];
    private readonly X509Certificate2 _certificate;
    private readonly TimeProvider _time;

    public LedgerTimeStampAuthority(string pemPath, TimeProvider time)
    {
        _time = time;
        if (!File.Exists(pemPath))
        {
            SecretFile.Write(pemPath, NewCertificatePem(time.GetUtcNow()));
        }

        _certificate = X509Certificate2.CreateFromPemFile(pemPath);
        if (!_certificate.HasPrivateKey || _certificate.GetECDsaPrivateKey() is null)
        {
            throw new InvalidOperationException($"{pemPath} must hold the time-stamping certificate and its ECDSA private key (PEM)");
        }

        CertificatePem = _certificate.ExportCertificatePem();
    }

    /// <summary>The TSA's certificate: what a verifier (this cloud's or <c>openssl ts -verify -CAfile</c>) trusts.</summary>
    public string CertificatePem { get; }

    public X509Certificate2 Certificate => _certificate;

    /// <summary>Answers a DER TimeStampReq (RFC 3161 §2.4.1) with a DER TimeStampResp (§2.4.2); a bad request gets a rejection, never an exception.</summary>
    public byte[] Respond(ReadOnlyMemory<byte> request)
    {
        if (!Rfc3161TimestampRequest.TryDecode(request, out Rfc3161TimestampRequest? decoded, out int consumed) || consumed != request.Length)
        {
            return TimeStampAsn.RejectedResponse(TimeStampFailure.BadDataFormat, "not a DER TimeStampReq");
        }

        if (decoded.Version != 1)
        {
            return TimeStampAsn.RejectedResponse(TimeStampFailure.BadRequest, "only version 1 requests");
        }

        HashAlgorithmName? hash = HashName(decoded.HashAlgorithmId);
        if (hash is null || !AcceptedHashes.Contains(hash.Value.Name!) || decoded.GetMessageHash().Length != HashLength(hash.Value))
        {
            return TimeStampAsn.RejectedResponse(TimeStampFailure.BadAlg, "the message imprint must be SHA-256, SHA-384 or SHA-512 of matching length");
        }

        if (decoded.RequestedPolicyId is { } policy && policy.Value != Policy.Value)
        {
            return TimeStampAsn.RejectedResponse(TimeStampFailure.UnacceptedPolicy, $"this authority issues under policy {Policy.Value} only");
        }

        if (decoded.HasExtensions)
        {
            return TimeStampAsn.RejectedResponse(TimeStampFailure.UnacceptedExtension, "no request extensions are supported");
        }

        var info = new Rfc3161TimestampTokenInfo(
            Policy,
            decoded.HashAlgorithmId,
            decoded.GetMessageHash(),
            SerialNumber(),
            _time.GetUtcNow(),
            nonce: decoded.GetNonce());
        var content = new SignedCms(new ContentInfo(new Oid(TimeStampAsn.TstInfoContentType), info.Encode()), detached: false);
        using ECDsa key = _certificate.GetECDsaPrivateKey()!;
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _certificate, key)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
            IncludeOption = decoded.RequestSignerCertificate ? X509IncludeOption.EndCertOnly : X509IncludeOption.None,
        };
        signer.SignedAttributes.Add(TimeStampAsn.SigningCertificateV2(_certificate));
        content.ComputeSignature(signer);
        return TimeStampAsn.GrantedResponse(content.Encode());
    }

    /// <summary>Stamps a SHA-256 hash through the same request/response path an outside client uses; the token's DER.</summary>
    public byte[] Stamp(byte[] sha256)
    {
        Rfc3161TimestampRequest request = Rfc3161TimestampRequest.CreateFromHash(sha256, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        Rfc3161TimestampToken token = request.ProcessResponse(Respond(request.Encode()), out _);
        return token.AsSignedCms().Encode();
    }

    /// <summary>
    /// Whether <paramref name="token"/> is a time-stamp by the authority with certificate
    /// <paramref name="certificatePem"/> over <paramref name="sha256"/>; the time it states.
    /// </summary>
    public static DateTimeOffset? Verify(byte[] token, ReadOnlySpan<byte> sha256, string certificatePem)
    {
        using X509Certificate2 trusted = X509Certificate2.CreateFromPem(certificatePem);
        if (!Rfc3161TimestampToken.TryDecode(token, out Rfc3161TimestampToken? decoded, out int consumed) || consumed != token.Length
            || !decoded.VerifySignatureForHash(sha256, HashAlgorithmName.SHA256, out X509Certificate2? signer, [trusted])
            || !signer.RawDataMemory.Span.SequenceEqual(trusted.RawDataMemory.Span)
            || decoded.TokenInfo.PolicyId.Value != Policy.Value)
        {
            return null;
        }

        return decoded.TokenInfo.Timestamp;
    }

    public void Dispose() => _certificate.Dispose();

    private static byte[] SerialNumber()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive and minimal: a DER INTEGER
        return serial;
    }

    private static HashAlgorithmName? HashName(Oid algorithm) => algorithm.Value switch
    {
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        _ => null,
    };

    private static int HashLength(HashAlgorithmName name) => name == HashAlgorithmName.SHA256 ? 32 : name == HashAlgorithmName.SHA384 ? 48 : 64;

    /// <summary>A P-256 key and a self-signed certificate for time-stamping only, valid 30 years.</summary>
    private static string NewCertificatePem(DateTimeOffset now)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=SmartSeal ledger time-stamping authority", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], true)); // id-kp-timeStamping, critical
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(30));
        return certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n";
    }
}
