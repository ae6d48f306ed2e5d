using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Seals.Electronic.Pdf;

namespace SmartSeal.Cloud.ESealing;

/// <summary>One signature found in a PDF and what holds of it.</summary>
public sealed record VerifiedSignature(
    int Number,
    string? Signer,
    string? SealId,
    string? CertificateSerial,
    IReadOnlyList<string> Chain,
    bool ChainTrusted,
    bool SignatureValid,
    DateTimeOffset? TimeStampedAt,
    bool TimeStampValid,
    bool RevokedAtSigning,
    bool CoversWholeDocument,
    long? LedgerEntryId,
    string? SealingId,
    string? Problem);

/// <summary>Every signature of a document; <see cref="ChangedAfterLastSeal"/> when bytes follow the last signed range.</summary>
public sealed record VerificationReport(string Sha256, IReadOnlyList<VerifiedSignature> Signatures, bool ChangedAfterLastSeal)
{
    public bool AllValid => Signatures.Count > 0 && !ChangedAfterLastSeal && Signatures.All(s => s.SignatureValid && s.ChainTrusted && s.TimeStampValid && !s.RevokedAtSigning);
}

/// <summary>
/// Verifies the PAdES signatures of a PDF anyone uploads: for each /ByteRange, the CMS over exactly
/// those bytes (the /Contents hole is where the byte ranges leave it), the seal certificate's chain
/// to this cloud's CA, the RFC 3161 signature time stamp, whether the certificate was revoked at
/// the time stamp, whether later bytes follow, and the ledger entry of the sealing.
/// </summary>
public sealed class SealVerifier(SealCertificateAuthority authority, ESealRegister eSeals, ESealingService sealings)
{
    public async Task<VerificationReport> VerifyAsync(byte[] pdf, CancellationToken cancellationToken = default)
    {
        string text = Encoding.Latin1.GetString(pdf);
        var syntax = new PdfSyntax(text);
        var signatures = new List<VerifiedSignature>();
        long lastEnd = 0;
        int at = 0, number = 0;
        while ((at = text.IndexOf("/ByteRange", at, StringComparison.Ordinal)) >= 0)
        {
            number++;
            PdfValue range;
            try
            {
                range = syntax.Parse(at + "/ByteRange".Length);
            }
            catch (FormatException e)
            {
                signatures.Add(Broken(number, $"unreadable /ByteRange: {e.Message}"));
                at++;
                continue;
            }

            at = range.End;
            double[] r = range.Array?.Select(v => v.Number ?? -1).ToArray() ?? [];
            if (r.Length != 4 || r[0] != 0 || r.Any(x => x < 0) || r[1] + 2 > r[2] || r[2] + r[3] > pdf.Length)
            {
                signatures.Add(Broken(number, "the /ByteRange does not describe this file"));
                continue;
            }

            long holeStart = (long)r[1], holeEnd = (long)r[2], end = (long)(r[2] + r[3]);
            lastEnd = Math.Max(lastEnd, end);
            signatures.Add(await VerifyOneAsync(number, pdf, holeStart, holeEnd, end, text, cancellationToken));
        }

        return new VerificationReport(SealedFiles.Sha256Of(pdf), signatures, signatures.Count > 0 && lastEnd < pdf.Length);
    }

    private async Task<VerifiedSignature> VerifyOneAsync(int number, byte[] pdf, long holeStart, long holeEnd, long end, string text, CancellationToken cancellationToken)
    {
        if (pdf[holeStart] != '<' || pdf[holeEnd - 1] != '>')
        {
            return Broken(number, "the signature value is not where the /ByteRange leaves room for it");
        }

        byte[] der;
        try
        {
            byte[] hex = Convert.FromHexString(text[(int)(holeStart + 1)..(int)(holeEnd - 1)]);
            AsnDecoder.ReadEncodedValue(hex, AsnEncodingRules.BER, out _, out _, out int length);
            der = hex[..length];
        }
        catch (Exception e) when (e is FormatException or AsnContentException)
        {
            return Broken(number, "the signature value is not a CMS structure");
        }

        byte[] content = [.. pdf.AsSpan(0, (int)holeStart), .. pdf.AsSpan((int)holeEnd, (int)(end - holeEnd))];
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        try
        {
            cms.Decode(der);
        }
        catch (CryptographicException e)
        {
            return Broken(number, $"the signature value is not a CMS structure: {e.Message}");
        }

        SignerInfo signer = cms.SignerInfos[0];
        X509Certificate2? certificate = signer.Certificate;
        bool valid;
        string? problem = null;
        try
        {
            signer.CheckSignature(verifySignatureOnly: true);
            valid = true;
        }
        catch (CryptographicException e)
        {
            valid = false;
            problem = "the document changed after sealing (" + e.Message + ")";
        }

        // The chain to this cloud's CA (root trusted, issuing CA from the signature's certificates).
        bool trusted = false;
        var chainNames = new List<string>();
        if (certificate is not null)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority.Root);
            chain.ChainPolicy.ExtraStore.AddRange(cms.Certificates);
            chain.ChainPolicy.ExtraStore.Add(authority.Issuing);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // revocation: from the register, at the time stamp
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid; // judged at the time stamp below
            trusted = chain.Build(certificate);
            chainNames.AddRange(chain.ChainElements.Select(e => e.Certificate.Subject));
        }

        // The signature time stamp (RFC 3161) over this signature.
        DateTimeOffset? stampedAt = null;
        bool stampValid = false;
        CryptographicAttributeObject? stampAttribute = signer.UnsignedAttributes.Cast<CryptographicAttributeObject>().FirstOrDefault(a => a.Oid.Value == "1.2.840.113549.1.9.16.2.14");
        if (stampAttribute is not null && Rfc3161TimestampToken.TryDecode(stampAttribute.Values[0].RawData, out Rfc3161TimestampToken? token, out _))
        {
            stampValid = token.VerifySignatureForSignerInfo(signer, out _);
            stampedAt = token.TokenInfo.Timestamp;
        }

        if (certificate is not null && stampedAt is { } time && (time < certificate.NotBefore.ToUniversalTime() || time > certificate.NotAfter.ToUniversalTime()))
        {
            trusted = false;
            problem ??= "the certificate was not valid at the time stamp";
        }

        DateTimeOffset? revokedAt = certificate is null ? null : await eSeals.RevokedAtAsync(certificate.SerialNumber, cancellationToken);
        bool revoked = revokedAt is { } when && (stampedAt is null || when <= stampedAt);
        string? sealId = certificate?.SubjectName.EnumerateRelativeDistinguishedNames().Where(n => n.GetSingleElementType().Value == "2.5.4.5").Select(n => n.GetSingleElementValue()).FirstOrDefault();
        string? field = FieldNameBefore(text, (int)holeStart);
        SealingRecord? sealing = field is not null && certificate is not null ? await sealings.ByFieldAsync(field, certificate.SerialNumber, cancellationToken) : null;
        return new VerifiedSignature(number, certificate?.GetNameInfo(X509NameType.SimpleName, false), sealId, certificate?.SerialNumber, chainNames, trusted, valid, stampedAt, stampValid,
            revoked, end == pdf.Length, sealing?.LedgerEntryId, sealing?.Id, problem ?? (stampAttribute is null ? "no signature time stamp" : null));
    }

    /// <summary>The field a sealing of this cloud names after its signature value ("eseal-…"): the writer puts it in the field object that follows.</summary>
    private static string? FieldNameBefore(string text, int holeStart)
    {
        int sigObject = text.LastIndexOf(" obj", holeStart, StringComparison.Ordinal);
        int fieldAt = text.LastIndexOf("/T (eseal-", sigObject < 0 ? holeStart : sigObject, StringComparison.Ordinal);
        if (fieldAt < 0)
        {
            return null;
        }

        int start = fieldAt + 4, close = text.IndexOf(')', start);
        return close > start ? text[start..close] : null;
    }

    private static VerifiedSignature Broken(int number, string problem) => new(number, null, null, null, [], false, false, null, false, false, false, null, null, problem);
}
