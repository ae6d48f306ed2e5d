using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SmartSeal.Cloud.Ledger;

/// <summary>Why a time-stamp request was refused (RFC 3161 §2.4.2 PKIFailureInfo: named bit n is value 1 &lt;&lt; n).</summary>
[Flags]
public enum TimeStampFailure
{
    None = 0,
    BadAlg = 1 << 0,
    BadRequest = 1 << 2,
    BadDataFormat = 1 << 5,
    UnacceptedPolicy = 1 << 15,
    UnacceptedExtension = 1 << 16,
}

/// <summary>
/// The two DER structures of RFC 3161 the .NET types do not write: the TimeStampResp around a
/// token (§2.4.2) and the ESS signing-certificate-v2 attribute that binds the token to the TSA's
/// certificate (RFC 5816: ESSCertIDv2 with SHA-256, the default algorithm, so it is omitted).
/// </summary>
public static class TimeStampAsn
{
    /// <summary>id-aa-signingCertificateV2.</summary>
    public const string SigningCertificateV2Oid = "1.2.840.113549.1.9.16.2.47";

    /// <summary>id-ct-TSTInfo: the content type of a time-stamp token's signed data.</summary>
    public const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";

    private const int Granted = 0;
    private const int Rejection = 2;

    /// <summary>status granted (0) and the token (a CMS ContentInfo).</summary>
    public static byte[] GrantedResponse(byte[] token)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(Granted);
            }

            writer.WriteEncodedValue(token);
        }

        return writer.Encode();
    }

    /// <summary>status rejection (2) with a reason a person can read and the failure bit.</summary>
    public static byte[] RejectedResponse(TimeStampFailure failure, string reason)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(Rejection);
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, reason);
                }

                writer.WriteNamedBitList(failure);
            }
        }

        return writer.Encode();
    }

    /// <summary>The status of a TimeStampResp (0 granted, 2 rejection...) and its status text, if any.</summary>
    public static (int Status, string? Text) ReadStatus(byte[] response)
    {
        AsnReader statusInfo = new AsnReader(response, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        int status = (int)statusInfo.ReadInteger();
        string? text = statusInfo.HasData && statusInfo.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence)
            ? statusInfo.ReadSequence().ReadCharacterString(UniversalTagNumber.UTF8String)
            : null;
        return (status, text);
    }

    /// <summary>SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with the certificate's hash, issuer and serial.</summary>
    public static AsnEncodedData SigningCertificateV2(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteOctetString(SHA256.HashData(certificate.RawData));
                    using (writer.PushSequence())
                    {
                        using (writer.PushSequence())
                        {
                            // GeneralName directoryName [4] EXPLICIT Name
                            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
                            {
                                writer.WriteEncodedValue(certificate.IssuerName.RawData);
                            }
                        }

                        writer.WriteInteger(certificate.SerialNumberBytes.Span);
                    }
                }
            }
        }

        return new AsnEncodedData(SigningCertificateV2Oid, writer.Encode());
    }
}
