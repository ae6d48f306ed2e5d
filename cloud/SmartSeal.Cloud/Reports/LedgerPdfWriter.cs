using PdfSharp.Drawing;
using SmartSeal.Cloud.Photos;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// The ledger as a PDF (A4 landscape): one block per entry with every field of the CSV, and the
/// thumbnails of the entry's photos beside it (the stored 320 px thumbnail, made and kept when
/// missing). A photo printed in several entries is embedded once.
/// </summary>
public sealed class LedgerPdfWriter(IPhotoStore photos, PhotoThumbnailer thumbnailer, LedgerCsvWriter format, int photosPerEntry)
{
    private const double ThumbWidth = 96;
    private const double ThumbGap = 6;

    public async Task<int> WriteAsync(IAsyncEnumerable<LedgerExportRow> rows, string subtitle, Stream output, int maxEntries, CancellationToken cancellationToken = default)
    {
        using var flow = new PdfPageFlow("用印台账 Seal use ledger", $"{subtitle}    时间 times: {format.ZoneName}", landscape: true);
        var images = new Dictionary<string, XImage?>(StringComparer.Ordinal);
        int count = 0;
        try
        {
            await foreach (LedgerExportRow row in rows.WithCancellation(cancellationToken))
            {
                if (++count > maxEntries)
                {
                    throw new ExportTooLargeException(maxEntries);
                }

                await DrawEntryAsync(flow, row, images, cancellationToken);
            }

            if (count == 0)
            {
                flow.DrawText("没有符合条件的记录 No entries match.", flow.Font, PdfPageFlow.Margin, flow.Y, flow.Width);
            }

            flow.Document.Save(output, closeStream: false);
            return count;
        }
        finally
        {
            foreach (XImage? image in images.Values)
            {
                image?.Dispose();
            }
        }
    }

    private async Task DrawEntryAsync(PdfPageFlow flow, LedgerExportRow r, Dictionary<string, XImage?> images, CancellationToken cancellationToken)
    {
        List<ExportPhoto> shown = r.Photos.Where(p => p.Sha256 is not null).Take(photosPerEntry).ToList();
        double photoWidth = shown.Count == 0 ? 0 : shown.Count * (ThumbWidth + ThumbGap);
        double textWidth = flow.Width - photoWidth;
        string text = Text(r);
        double textHeight = flow.TextHeight(text, flow.Font, textWidth);
        var thumbs = new List<XImage>();
        foreach (ExportPhoto photo in shown)
        {
            if (await ImageAsync(photo.Sha256!, images, cancellationToken) is { } image)
            {
                thumbs.Add(image);
            }
        }

        double thumbsHeight = thumbs.Count == 0 ? 0 : thumbs.Max(i => ThumbWidth * i.PixelHeight / Math.Max(1, i.PixelWidth));
        double height = Math.Max(textHeight, thumbsHeight) + 8;
        flow.Reserve(height);
        double y = flow.Y;
        flow.DrawText(text, flow.Font, PdfPageFlow.Margin, y, textWidth);
        double x = PdfPageFlow.Margin + textWidth + ThumbGap;
        foreach (XImage image in thumbs)
        {
            double h = ThumbWidth * image.PixelHeight / Math.Max(1, image.PixelWidth);
            flow.Graphics.DrawImage(image, x, y, ThumbWidth, h);
            x += ThumbWidth + ThumbGap;
        }

        flow.Graphics.DrawLine(XPens.LightGray, PdfPageFlow.Margin, y + height - 4, PdfPageFlow.Margin + flow.Width, y + height - 4);
        flow.Y = y + height;
    }

    private string Text(LedgerExportRow r)
    {
        var lines = new List<string>
        {
            $"#{r.EntryId}  {LedgerKindWords.Zh(r.Kind)}  印章 {r.SealName ?? "?"} ({r.SealId}) 链序号 seq {r.SeqText()}    用印时间 executed {format.LocalTime(r.ExecutedMs)}",
        };
        if (r.ApplicationId is not null)
        {
            lines.Add($"申请单 {r.ApplicationId}  申请人 {r.ApplicantName} · {r.ApplicantUnit} · {r.ApplicantPost}    申请时间 {format.LocalTime(r.AppliedMs)}    审批时间 {format.LocalTime(r.ApprovedMs)}");
            lines.Add($"文件 {r.Documents}    用途 {r.Purpose}    份数 {r.Copies}    审批人 {r.Approvers}");
        }

        lines.Add($"经办人 {r.Executor ?? "-"}    设备 {r.DeviceId ?? "-"}    地点 {r.Location ?? "-"}");
        if (r.Details.Length > 0)
        {
            lines.Add("详情 " + r.Details);
        }

        if (r.Photos.Count > 0)
        {
            lines.Add("照片 " + string.Join(" ", r.Photos.Select(p => p.Reference)));
        }

        lines.Add($"哈希 {r.Hash}    记录 {format.LocalTime(r.RecordedMs)}");
        return string.Join('\n', lines);
    }

    /// <summary>The thumbnail as a PDF image (null when the photo is missing or cannot be decoded: the entry prints its reference only).</summary>
    private async Task<XImage?> ImageAsync(string sha256, Dictionary<string, XImage?> images, CancellationToken cancellationToken)
    {
        if (images.TryGetValue(sha256, out XImage? known))
        {
            return known;
        }

        byte[]? thumbnail = await ReadAsync(sha256, PhotoVariant.Thumbnail, cancellationToken);
        if (thumbnail is null && await ReadAsync(sha256, PhotoVariant.Original, cancellationToken) is { } original
            && await thumbnailer.CreateAsync(original, cancellationToken) is { } made)
        {
            await photos.PutAsync(sha256, PhotoVariant.Thumbnail, made, cancellationToken);
            thumbnail = made;
        }

        XImage? image = thumbnail is null ? null : XImage.FromStream(new MemoryStream(thumbnail, writable: false));
        images[sha256] = image;
        return image;
    }

    private async Task<byte[]?> ReadAsync(string sha256, PhotoVariant variant, CancellationToken cancellationToken)
    {
        await using Stream? stream = await photos.OpenReadAsync(sha256, variant, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}

/// <summary>A PDF export over <see cref="ReportsOptions.MaxPdfEntries"/>.</summary>
public sealed class ExportTooLargeException(int max) : Exception($"more than {max} entries: narrow the period or filters, or export CSV")
{
    public int Max { get; } = max;
}

internal static class LedgerExportRowText
{
    public static string SeqText(this LedgerExportRow row) => row.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
