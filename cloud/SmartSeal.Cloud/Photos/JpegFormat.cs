using System.Buffers.Binary;

namespace SmartSeal.Cloud.Photos;

/// <summary>Cheap structural checks of a JPEG, done before anything decodes it.</summary>
public static class JpegFormat
{
    /// <summary>Starts with SOI and a marker (FF D8 FF) and ends with EOI (FF D9).</summary>
    public static bool HasJpegFrame(ReadOnlySpan<byte> data) =>
        data.Length >= 6 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF && data[^2] == 0xFF && data[^1] == 0xD9;

    /// <summary>
    /// Reads width and height from the first start-of-frame segment without decoding anything,
    /// so a tiny file that declares an enormous image can be refused before a decoder allocates it.
    /// </summary>
    public static bool TryReadSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = height = 0;
        int i = 2;
        while (i + 4 <= data.Length)
        {
            if (data[i] != 0xFF)
            {
                return false;
            }

            byte marker = data[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (marker == 0x01 || marker is >= 0xD0 and <= 0xD7)
            {
                i += 2; // markers without a length
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return false; // end of image or start of scan before any frame header
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 2)..]);
            bool startOfFrame = marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC);
            if (startOfFrame)
            {
                if (length < 7 || i + 9 > data.Length)
                {
                    return false;
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 5)..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(data[(i + 7)..]);
                return width > 0 && height > 0;
            }

            if (length < 2)
            {
                return false;
            }

            i += 2 + length;
        }

        return false;
    }
}
