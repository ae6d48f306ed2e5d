using System.Buffers.Binary;
using SmartSeal.Cloud.Reports;

namespace SmartSeal.Cloud.Tests.Reports;

/// <summary>The first face of Debian's CJK collection becomes a standalone TrueType font PDFsharp can read.</summary>
public class TrueTypeCollectionTests
{
    [Fact]
    public void The_first_face_of_a_collection_is_a_standalone_font_with_every_table_in_bounds()
    {
        string path = CjkFontResolver.Candidates.First(File.Exists); // scripts/setup.sh installs fonts-wqy-microhei
        byte[] collection = File.ReadAllBytes(path);
        Assert.True(TrueTypeCollection.IsCollection(collection));

        byte[] face = TrueTypeCollection.ExtractFace(collection);
        Assert.Equal(0x00010000u, BinaryPrimitives.ReadUInt32BigEndian(face));
        int tables = BinaryPrimitives.ReadUInt16BigEndian(face.AsSpan(4));
        Assert.True(tables > 5);
        var tags = new List<string>();
        for (int i = 0; i < tables; i++)
        {
            int record = 12 + 16 * i;
            tags.Add(System.Text.Encoding.ASCII.GetString(face, record, 4));
            uint offset = BinaryPrimitives.ReadUInt32BigEndian(face.AsSpan(record + 8));
            uint length = BinaryPrimitives.ReadUInt32BigEndian(face.AsSpan(record + 12));
            Assert.True(offset % 4 == 0 && offset + length <= face.Length, $"table {tags[^1]} out of bounds");
        }

        Assert.Contains("glyf", tags);
        Assert.Contains("cmap", tags);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrueTypeCollection.ExtractFace(collection, 99));
        Assert.Same(face, TrueTypeCollection.ExtractFace(face)); // a single font passes through
    }
}
