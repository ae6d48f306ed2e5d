using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>A certificate the CA revoked, as the CRL lists it.</summary>
public sealed record RevokedCertificate(string SerialHex, DateTimeOffset RevokedAt);

/// <summary>
/// The cloud's small development CA: a root (RSA-3072, self-signed) and an issuing CA (RSA-2048,
/// signed by the root) whose keys are generated once into <see cref="ESealOptions.CaDirectory"/>,
/// and seal certificates for public keys that stay on the token: subject CN = the seal's name,
/// O = the organisation, OU = the seal's unit, serialNumber = the seal id; a CRL distribution
/// point; CRLs built from the revocations the register keeps. A production deployment replaces
/// this class's output with a licensed CA's certificate (cloud/README.md, "E-seals").
/// </summary>
public sealed class SealCertificateAuthority : IDisposable
{
    private readonly ESealOptions _options;
    private readonly TimeProvider _time;
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _issuing;

    public SealCertificateAuthority(IOptions<ESealOptions> options, string directory, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        DateTimeOffset now = time.GetUtcNow();
        string rootPath = Path.Combine(directory, "root.pem");
        string issuingPath = Path.Combine(directory, "issuing.pem");
        if (!File.Exists(rootPath) || !File.Exists(issuingPath))
        {
            using RSA rootKey = RSA.Create(3072);
            using RSA issuingKey = RSA.Create(2048);
            using X509Certificate2 root = NewRoot(rootKey, now);
            using X509Certificate2 issuing = NewIssuing(root, issuingKey, now);
            SecretFile.Write(rootPath, root.ExportCertificatePem() + "\n" + rootKey.ExportPkcs8PrivateKeyPem() + "\n");
            SecretFile.Write(issuingPath, issuing.ExportCertificatePem() + "\n" + issuingKey.ExportPkcs8PrivateKeyPem() + "\n");
        }

        _root = X509Certificate2.CreateFromPemFile(rootPath);
        _issuing = X509Certificate2.CreateFromPemFile(issuingPath);
    }

    public X509Certificate2 Root => _root;

    public X509Certificate2 Issuing => _issuing;

    /// <summary>The CA chain a relying party trusts (root last).</summary>
    public string ChainPem => _issuing.ExportCertificatePem() + "\n" + _root.ExportCertificatePem() + "\n";

    /// <summary>A seal certificate for a public key held on the token.</summary>
    public X509Certificate2 Issue(Seal seal, RSAParameters publicKey)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCountryOrRegion("CN");
        subject.AddOrganizationName(_options.Organisation);
        subject.AddOrganizationalUnitName(seal.UnitId);
        subject.AddCommonName(seal.Name);
        subject.Add("2.5.4.5", seal.Id); // serialNumber: which register seal this key is
        using RSA key = RSA.Create(publicKey);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_issuing, true, false));
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([_options.CrlUrl]));
        DateTimeOffset now = _time.GetUtcNow();
        using RSA issuer = _issuing.GetRSAPrivateKey()!;
        return request.Create(_issuing.SubjectName, X509SignatureGenerator.CreateForRSA(issuer, RSASignaturePadding.Pkcs1),
            now.AddMinutes(-5), Min(now.AddDays(_options.CertificateDays), _issuing.NotAfter), NewSerial());
    }

    /// <summary>The issuing CA's CRL (DER) listing <paramref name="revoked"/>, valid for a week.</summary>
    public byte[] Crl(IEnumerable<RevokedCertificate> revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (RevokedCertificate entry in revoked)
        {
            builder.AddEntry(Convert.FromHexString(entry.SerialHex), entry.RevokedAt, X509RevocationReason.CessationOfOperation);
        }

        DateTimeOffset now = _time.GetUtcNow();
        return builder.Build(_issuing, new BigInteger(now.ToUnixTimeMilliseconds()), now.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, now);
    }

    public void Dispose()
    {
        _root.Dispose();
        _issuing.Dispose();
    }

    private X509Certificate2 NewRoot(RSA key, DateTimeOffset now)
    {
        var request = new CertificateRequest(Name("SmartSeal Development Root CA"), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(20));
    }

    private X509Certificate2 NewIssuing(X509Certificate2 root, RSA key, DateTimeOffset now)
    {
        var request = new CertificateRequest(Name("SmartSeal Development Seal CA"), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using X509Certificate2 issued = request.Create(root, now.AddMinutes(-5), now.AddYears(10), NewSerial());
        return issued.CopyWithPrivateKey(key);
    }

    private X500DistinguishedName Name(string commonName)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCountryOrRegion("CN");
        name.AddOrganizationName(_options.Organisation);
        name.AddCommonName(commonName);
        return name.Build();
    }

    private static byte[] NewSerial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        serial[0] |= 0x01; // no leading zero byte
        return serial;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
