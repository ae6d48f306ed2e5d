using System.Buffers.Binary;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Reads one face out of a TrueType collection (.ttc) as a standalone .ttf: PDFsharp takes single
/// fonts only, and Debian's CJK fonts ship as collections. The face's table directory is copied
/// with its tables laid out after it (4-byte aligned); table bytes and checksums are unchanged.
/// </summary>
public static class TrueTypeCollection
{
    public static bool IsCollection(ReadOnlySpan<byte> font) => font.Length >= 12 && font[..4].SequenceEqual("ttcf"u8);

    public static byte[] ExtractFace(byte[] collection, int index = 0)
    {
        if (!IsCollection(collection))
        {
            return collection;
        }

        var ttc = collection.AsSpan();
        uint faces = BinaryPrimitives.ReadUInt32BigEndian(ttc[8..]);
        if (index < 0 || index >= faces)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"the collection has {faces} faces");
        }

        int directory = checked((int)BinaryPrimitives.ReadUInt32BigEndian(ttc[(12 + 4 * index)..]));
        int tables = BinaryPrimitives.ReadUInt16BigEndian(ttc[(directory + 4)..]);
        int headerLength = 12 + 16 * tables;
        var records = new List<(int Record, int Offset, int Length)>(tables);
        int size = headerLength;
        for (int i = 0; i < tables; i++)
        {
            int record = directory + 12 + 16 * i;
            int offset = checked((int)BinaryPrimitives.ReadUInt32BigEndian(ttc[(record + 8)..]));
            int length = checked((int)BinaryPrimitives.ReadUInt32BigEndian(ttc[(record + 12)..]));
            records.Add((record, offset, length));
            size += (length + 3) & ~3;
        }

        byte[] font = new byte[size];
        ttc.Slice(directory, headerLength).CopyTo(font);
        int at = headerLength;
        for (int i = 0; i < records.Count; i++)
        {
            (_, int offset, int length) = records[i];
            ttc.Slice(offset, length).CopyTo(font.AsSpan(at));
            BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(12 + 16 * i + 8), (uint)at);
            at += (length + 3) & ~3;
        }

        return font;
    }
}
