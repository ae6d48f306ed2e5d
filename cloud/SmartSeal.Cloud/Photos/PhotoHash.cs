using System.Security.Cryptography;

namespace SmartSeal.Cloud.Photos;

/// <summary>The name of a photo: SHA-256 of its JPEG bytes as 64 lowercase hex characters.</summary>
public static class PhotoHash
{
    public const int Length = 64;

    public static string Of(ReadOnlySpan<byte> jpeg) => Convert.ToHexStringLower(SHA256.HashData(jpeg));

    /// <summary>Whether the text is a well-formed name (exactly 64 lowercase hex); anything else never reaches a store.</summary>
    public static bool IsValid(string? text)
    {
        if (text is null || text.Length != Length)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The object name inside a store: sharded by the first two bytes so no folder grows huge.</summary>
    public static string ObjectName(string sha256, PhotoVariant variant, char separator = '/')
    {
        if (!IsValid(sha256))
        {
            throw new ArgumentException("not a lowercase hex SHA-256", nameof(sha256));
        }

        string file = variant == PhotoVariant.Original ? sha256 + ".jpg" : sha256 + ".thumb.jpg";
        return $"{sha256[..2]}{separator}{sha256[2..4]}{separator}{file}";
    }
}
