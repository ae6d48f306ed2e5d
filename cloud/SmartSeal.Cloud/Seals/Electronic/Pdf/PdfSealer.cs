using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SmartSeal.Cloud.Seals.Electronic.Pdf;

/// <summary>Who signs: the seal certificate, the CA certificates to embed, and the key (on the token).</summary>
public sealed record SealSigner(X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain, RSA Key, string Name);

/// <summary>The sealed file and what the ledger records of it.</summary>
public sealed record SealedPdf(byte[] Bytes, string FieldName, IReadOnlyList<int> Pages, IReadOnlyList<string> Positions, byte[] TimeStampToken, DateTimeOffset TimeStampedAt);

/// <summary>The time-stamping authority could not be reached or refused.</summary>
public sealed class TimeStampException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Seals a PDF by an incremental update (ISO 32000-1 §7.5.6): the original bytes stay as they are,
/// and one new revision adds the impression (a form XObject: vector from <see cref="SealImpression"/>, or the
/// keeper's cleaned scan, <see cref="ScannedImpression"/>, as an image with a soft mask),
/// one signature field whose widgets put it on the chosen pages, every page, and/or in strips across
/// the right edge of all pages (骑缝章), the rewritten pages (their /Annots) and catalog (/AcroForm),
/// and a PAdES B-T signature value (ETSI.CAdES.detached: CMS with signing-certificate-v2, signed on
/// the token, plus an RFC 3161 signature time stamp). Earlier signatures cover earlier revisions and
/// stay valid.
/// </summary>
public static class PdfSealer
{
    /// <summary>Room for the CMS (certificates, signature, time stamp), in bytes.</summary>
    public const int SignatureRoom = 20000;

    private const string SigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";
    private const string SignatureTimeStampToken = "1.2.840.113549.1.9.16.2.14";
    private const string ByteRangePlaceholder = "[0 0000000000 0000000000 0000000000]";

    public static SealedPdf Seal(byte[] original, IImpression impression, SealPlacement placement, SealSigner signer, Func<byte[], byte[]> timeStampAuthority, DateTimeOffset now, string reason)
    {
        ClassicPdf pdf = ClassicPdf.Read(original);
        int pageCount = pdf.Pages.Count;
        if (placement.IsEmpty)
        {
            throw new ArgumentException("choose where the seal goes: spots, every page or cross-page");
        }

        if (placement.Spots.FirstOrDefault(s => s.Page < 1 || s.Page > pageCount) is { } outside)
        {
            throw new ArgumentException($"page {outside.Page} is not in the document (1..{pageCount})");
        }

        var update = new PdfUpdate(pdf, original);
        int NewObject() => update.New();
        void Write(int number, string body) => update.Write(number, body);
        string Stream(string dict, string content) => PdfUpdate.Stream(dict, content);

        // The impression as one form XObject every placement (and every cross-page strip) draws.
        double w = impression.WidthPoints, h = impression.HeightPoints;
        int form = WriteImpression(update, impression);

        // Widgets: (page index, rect, appearance object).
        var widgets = new List<(int Page, double[] Rect, int Appearance)>();
        var positions = new List<string>();
        foreach (SealSpot spot in placement.Spots)
        {
            widgets.Add((spot.Page - 1, [spot.X - (w / 2), spot.Y - (h / 2), spot.X + (w / 2), spot.Y + (h / 2)], form));
            positions.Add(F($"p{spot.Page}@{spot.X},{spot.Y}"));
        }

        if (placement.EveryPage)
        {
            for (int p = 0; p < pageCount; p++)
            {
                double[] box = pdf.Pages[p].MediaBox;
                SealSpot at = placement.EveryPageAt ?? new SealSpot(0, box[2] - (w / 2) - 56, box[1] + (h / 2) + 56);
                widgets.Add((p, [at.X - (w / 2), at.Y - (h / 2), at.X + (w / 2), at.Y + (h / 2)], form));
            }

            positions.Add(placement.EveryPageAt is { } e ? F($"every-page@{e.X},{e.Y}") : "every-page@lower-right");
        }

        if (placement.CrossPage)
        {
            var strips = new Dictionary<(int Of, int Index), int>();
            int group = Math.Clamp(placement.CrossPageGroup, 2, 60);
            for (int start = 0; start < pageCount; start += group)
            {
                int m = Math.Min(group, pageCount - start);
                double stripWidth = w / m;
                for (int k = 0; k < m; k++)
                {
                    if (!strips.TryGetValue((m, k), out int strip))
                    {
                        strip = NewObject();
                        Write(strip, Stream(F($"/Type /XObject /Subtype /Form /BBox [0 0 {stripWidth} {h}] /Resources <</XObject <</I {form} 0 R>>>>"), F($"q 1 0 0 1 {-k * stripWidth} 0 cm /I Do Q")));
                        strips[(m, k)] = strip;
                    }

                    double[] box = pdf.Pages[start + k].MediaBox;
                    double y = placement.CrossPageY ?? ((box[1] + box[3]) / 2);
                    widgets.Add((start + k, [box[2] - stripWidth, y - (h / 2), box[2], y + (h / 2)], strip));
                }
            }

            positions.Add(placement.CrossPageY is { } cy ? F($"cross-page@{cy}") : "cross-page@middle");
        }

        // The signature value and its field. The field is also the widget of the first placement
        // (one field, one widget: what every verifier reads as one signature); the other placements
        // are locked stamp annotations with the same appearance, added in the same signed revision.
        int signature = NewObject(), field = NewObject();
        string fieldName = "eseal-" + now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var annotsByPage = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < widgets.Count; i++)
        {
            (int page, double[] rect, int appearance) = widgets[i];
            string common = F($"/Type /Annot /P {pdf.Pages[page].Ref} /F 132 /Rect [{rect[0]} {rect[1]} {rect[2]} {rect[3]}] /AP <</N {appearance} 0 R>>");
            int number = i == 0 ? field : NewObject();
            Write(number, i == 0
                ? $"<<{common} /Subtype /Widget /FT /Sig /T {PdfText(fieldName)} /V {signature} 0 R /Ff 1>>"
                : $"<<{common} /Subtype /Stamp /Name /{PdfName(fieldName)} /Contents {PdfText(signer.Name)}>>");
            (annotsByPage.TryGetValue(page, out List<int>? list) ? list : annotsByPage[page] = []).Add(number);
        }

        int contentsAt = -1, byteRangeAt = -1;
        update.Begin(signature);
        update.Text.Append(CultureInfo.InvariantCulture, $"{signature} 0 obj\n<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Name {PdfText(signer.Name)} /Reason {PdfText(reason)} /M {PdfDate(now)} /ByteRange ");
        byteRangeAt = update.Text.Length;
        update.Text.Append(ByteRangePlaceholder).Append(" /Contents ");
        contentsAt = update.Text.Length;
        update.Text.Append('<').Append('0', SignatureRoom * 2).Append('>').Append(">>\nendobj\n");

        // The pages that get widgets, and the catalog's form.
        PdfSyntax syntax = pdf.Syntax;
        update.AddAnnotations(annotsByPage);

        PdfValue catalog = pdf.Object(pdf.Root);
        if (catalog.Dict!.TryGetValue("AcroForm", out PdfValue? acroForm))
        {
            PdfValue formDict = pdf.Resolve(acroForm);
            string fields = formDict.Dict!.TryGetValue("Fields", out PdfValue? existing)
                ? syntax.Text[pdf.Resolve(existing).Start..(pdf.Resolve(existing).End - 1)] + $" {field} 0 R]"
                : $"[{field} 0 R]";
            string merged = WithSigFlags(new PdfSyntax(syntax.WithEntry(formDict, "Fields", fields)));
            if (acroForm.Ref is { } formRef)
            {
                Write(formRef.Number, merged);
            }
            else
            {
                int newForm = NewObject();
                Write(newForm, merged);
                Write(pdf.Root.Number, syntax.WithEntry(catalog, "AcroForm", $"{newForm} 0 R"));
            }
        }
        else
        {
            int newForm = NewObject();
            Write(newForm, $"<</Fields [{field} 0 R] /SigFlags 3>>");
            Write(pdf.Root.Number, syntax.WithEntry(catalog, "AcroForm", $"{newForm} 0 R"));
        }

        // Cross-reference section and trailer of the new revision.
        byte[] bytes = update.Finish();
        int baseLength = update.BaseLength;
        int contentsStart = baseLength + contentsAt, contentsEnd = contentsStart + (SignatureRoom * 2) + 2;
        string byteRange = F($"[0 {contentsStart} {contentsEnd} {bytes.Length - contentsEnd}]").PadRight(ByteRangePlaceholder.Length);
        Encoding.ASCII.GetBytes(byteRange).CopyTo(bytes, baseLength + byteRangeAt);

        byte[] signedContent = [.. bytes.AsSpan(0, contentsStart), .. bytes.AsSpan(contentsEnd)];
        (byte[] cms, byte[] stampToken, DateTimeOffset stampedAt) = Cms(signedContent, signer, timeStampAuthority);
        if (cms.Length > SignatureRoom)
        {
            throw new InvalidOperationException($"the signature ({cms.Length} bytes) does not fit the {SignatureRoom} bytes reserved");
        }

        Encoding.ASCII.GetBytes(Convert.ToHexString(cms)).CopyTo(bytes, contentsStart + 1);
        IReadOnlyList<int> pages = widgets.Select(x => x.Page + 1).Distinct().Order().ToList();
        return new SealedPdf(bytes, fieldName, pages, positions, stampToken, stampedAt);
    }

    /// <summary>Writes the impression's form XObject (BBox at the real size in points) and returns its number.</summary>
    private static int WriteImpression(PdfUpdate update, IImpression impression)
    {
        double w = impression.WidthPoints, h = impression.HeightPoints;
        int form;
        switch (impression)
        {
            case SealImpression drawn:
                // Glyphs in Adobe's predefined CJK font: no file embedded, readers substitute their Song face.
                int font = update.WriteCjkFont();
                form = update.New();
                update.Write(form, PdfUpdate.Stream(F($"/Type /XObject /Subtype /Form /BBox [0 0 {w} {h}] /Resources <</Font <</F1 {font} 0 R>>>>"), drawn.ToPdfOperators()));
                return form;
            case ScannedImpression scan:
                // The ink's colour as an RGB image, its transparency as the soft mask (ISO 32000-1 §11.6.5.3): the page shows through the paper.
                (byte[] rgb, byte[] alpha) = scan.Planes();
                int image = update.New(), mask = update.New();
                string samples = F($"/Type /XObject /Subtype /Image /Width {scan.WidthPx} /Height {scan.HeightPx} /BitsPerComponent 8 /Filter /FlateDecode");
                update.Write(mask, PdfUpdate.Stream(samples + " /ColorSpace /DeviceGray", Deflate(alpha)));
                update.Write(image, PdfUpdate.Stream(samples + F($" /ColorSpace /DeviceRGB /SMask {mask} 0 R /Interpolate true"), Deflate(rgb)));
                form = update.New();
                update.Write(form, PdfUpdate.Stream(F($"/Type /XObject /Subtype /Form /BBox [0 0 {w} {h}] /Resources <</XObject <</Scan {image} 0 R>>>>"), F($"q {w} 0 0 {h} 0 0 cm /Scan Do Q")));
                return form;
            default:
                throw new ArgumentException($"no PDF drawing for a {impression.GetType().Name}", nameof(impression));
        }
    }

    /// <summary>zlib-compressed samples (FlateDecode) as Latin-1 text, which the update writes back byte for byte.</summary>
    private static string Deflate(byte[] samples)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Optimal))
        {
            zlib.Write(samples);
        }

        return Encoding.Latin1.GetString(compressed.ToArray());
    }

    /// <summary>CMS SignedData, detached, over the byte ranges: signing-certificate-v2 signed, the token signs, then a signature time stamp (RFC 3161) as unsigned attribute.</summary>
    private static (byte[] Cms, byte[] TimeStampToken, DateTimeOffset At) Cms(byte[] content, SealSigner signer, Func<byte[], byte[]> timeStampAuthority)
    {
        var signed = new SignedCms(new ContentInfo(content), detached: true);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer.Certificate, signer.Key)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), IncludeOption = X509IncludeOption.EndCertOnly,
        };
        cmsSigner.Certificates.AddRange(signer.Chain.ToArray());
        var essWriter = new AsnWriter(AsnEncodingRules.DER);
        using (essWriter.PushSequence())
        {
            using (essWriter.PushSequence())
            {
                using (essWriter.PushSequence())
                {
                    essWriter.WriteOctetString(SHA256.HashData(signer.Certificate.RawData));
                }
            }
        }

        cmsSigner.SignedAttributes.Add(new AsnEncodedData(SigningCertificateV2, essWriter.Encode()));
        signed.ComputeSignature(cmsSigner, silent: true);

        SignerInfo info = signed.SignerInfos[0];
        Rfc3161TimestampRequest request = Rfc3161TimestampRequest.CreateFromSignerInfo(info, HashAlgorithmName.SHA256, requestSignerCertificates: true, nonce: RandomNumberGenerator.GetBytes(8));
        byte[] response;
        try
        {
            response = timeStampAuthority(request.Encode());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new TimeStampException($"the time-stamping authority did not answer: {e.Message}", e);
        }

        Rfc3161TimestampToken token;
        try
        {
            token = request.ProcessResponse(response, out _);
        }
        catch (CryptographicException e)
        {
            throw new TimeStampException($"the time-stamping authority refused: {e.Message}", e);
        }

        byte[] tokenBytes = token.AsSignedCms().Encode();
        info.AddUnsignedAttribute(new AsnEncodedData(SignatureTimeStampToken, tokenBytes));
        return (signed.Encode(), tokenBytes, token.TokenInfo.Timestamp);
    }

    private static string WithSigFlags(PdfSyntax form)
    {
        PdfValue dict = form.Parse(0);
        return form.WithEntry(dict, "SigFlags", "3");
    }

    /// <summary>A PDF text string: literal for plain ASCII, UTF-16BE with BOM (hex) otherwise.</summary>
    public static string PdfText(string text) =>
        text.All(c => c is >= ' ' and <= '~' and not ('(' or ')' or '\\'))
            ? "(" + text + ")"
            : "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text)) + ">";

    private static string PdfName(string text) => new(text.Where(char.IsAsciiLetterOrDigit).ToArray());

    private static string PdfDate(DateTimeOffset at) => "(D:" + at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+00'00')";

    private static string F(FormattableString text) => string.Format(CultureInfo.InvariantCulture, text.Format, text.GetArguments().Select(a => a is double d ? Math.Round(d, 3) : a).ToArray());
}
