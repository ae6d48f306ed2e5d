using System.Security.Cryptography;
using System.Text;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Documents;

/// <summary>What a page's QR code says: application, document, page, and a MAC over all three.</summary>
public sealed record PageCodeContent(string ApplicationId, string DocumentId, int Page);

/// <summary>
/// The text of the QR code on each page of an approved copy:
/// <c>SSD1|{application}|{document}|{page}|{mac}</c>, mac = the first 7 bytes of
/// HMAC-SHA256(K_doc, "SSD1|{application}|{document}|{page}") in base64url. K_doc is derived from
/// the master key (HKDF, its own label), so only the cloud makes codes, and a code names its
/// application: it cannot be moved to another application's pages or to another page.
/// </summary>
public sealed class PageCode
{
    public const string Prefix = "SSD1";
    // 56 bits: a forger has no oracle but printing and photographing pages at a lock, and a
    // shorter code keeps the QR at version 3 (larger modules, read from farther and through blur).
    private const int MacBytes = 7;
    private readonly byte[] _key;

    public PageCode(MasterKey master)
    {
        _key = HKDF.Expand(HashAlgorithmName.SHA256, HKDF.Extract(HashAlgorithmName.SHA256, master.Bytes), 32, Encoding.UTF8.GetBytes("smartseal document page codes v1"));
    }

    public string Encode(PageCodeContent content)
    {
        if (content.ApplicationId.Contains('|') || content.DocumentId.Contains('|'))
        {
            throw new ArgumentException("ids may not contain '|'", nameof(content));
        }

        string signed = Signed(content);
        return signed + "|" + Base64Url(Mac(signed));
    }

    /// <summary>Parses and verifies a code; <paramref name="problem"/> says why it is not one of ours.</summary>
    public PageCodeContent? Decode(string text, out string? problem)
    {
        string[] parts = text.Split('|');
        if (parts.Length != 5 || parts[0] != Prefix)
        {
            problem = "the QR code is not a SmartSeal page code";
            return null;
        }

        if (!int.TryParse(parts[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int page) || page < 1)
        {
            problem = "the page code has no valid page number";
            return null;
        }

        var content = new PageCodeContent(parts[1], parts[2], page);
        byte[] expected = Mac(Signed(content));
        byte[]? actual = FromBase64Url(parts[4]);
        if (actual is null || !CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            problem = "the page code's MAC does not verify (forged or altered code)";
            return null;
        }

        problem = null;
        return content;
    }

    private static string Signed(PageCodeContent c) =>
        string.Join('|', Prefix, c.ApplicationId, c.DocumentId, c.Page.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private byte[] Mac(string signed) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(signed))[..MacBytes];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
