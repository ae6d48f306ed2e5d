using System.Globalization;
using System.Text;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// The ledger as CSV (RFC 4180: comma, CRLF, quotes doubled) in UTF-8 <em>with</em> a byte order
/// mark — without it Excel reads the file as the local ANSI code page and Chinese turns to
/// mojibake. Times are ISO 8601 in the report's time zone (with the offset), so they sort and
/// read the same everywhere.
/// </summary>
public sealed class LedgerCsvWriter(TimeZoneInfo timeZone)
{
    public static readonly string[] Header =
    [
        "序号 entry", "印章 seal id", "印章名称 seal", "链序号 seq", "类型 kind",
        "申请人 applicant", "申请人单位 unit", "职务 post",
        "文件名称 documents", "用途 purpose", "份数 copies",
        "申请时间 applied", "审批时间 approved", "用印时间 executed", "审批人 approvers", "经办人 executor",
        "设备 device", "地点 location", "照片 photos", "申请单 application", "详情 details", "记录时间 recorded", "哈希 hash",
    ];

    public async Task WriteAsync(IAsyncEnumerable<LedgerExportRow> rows, Stream output, CancellationToken cancellationToken = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(Line(Header));
        await foreach (LedgerExportRow row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(Line(Values(row)));
        }
    }

    public string[] Values(LedgerExportRow r) =>
    [
        Number(r.EntryId), r.SealId, r.SealName ?? "", Number(r.Seq), r.Kind,
        r.ApplicantName ?? "", r.ApplicantUnit ?? "", r.ApplicantPost ?? "",
        r.Documents ?? "", r.Purpose ?? "", r.Copies is { } c ? Number(c) : "",
        Time(r.AppliedMs), Time(r.ApprovedMs), Time(r.ExecutedMs), r.Approvers ?? "", r.Executor ?? "",
        r.DeviceId ?? "", r.Location ?? "", string.Join(" ", r.Photos.Select(p => p.Reference)), r.ApplicationId ?? "", r.Details, Time(r.RecordedMs), r.Hash,
    ];

    public string Time(long? ms) => ms is { } value
        ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(value), timeZone).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)
        : "";

    /// <summary>A time as people read it on paper ("2026-12-07 21:05:00"), in the zone <see cref="ZoneName"/> names.</summary>
    public string LocalTime(long? ms) => ms is { } value
        ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(value), timeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : "-";

    /// <summary>The zone of <see cref="LocalTime"/> as printed: 北京时间 for Asia/Shanghai, else its id with the UTC offset.</summary>
    public string ZoneName => timeZone.Id == "Asia/Shanghai"
        ? "北京时间 Beijing time"
        : $"{timeZone.Id} (UTC{(timeZone.BaseUtcOffset < TimeSpan.Zero ? "-" : "+")}{timeZone.BaseUtcOffset.ToString(@"hh\:mm", CultureInfo.InvariantCulture)})";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Line(IEnumerable<string> values) => string.Join(",", values.Select(Quote));

    /// <summary>Quotes when needed; a leading = + - @ is prefixed with ' so a spreadsheet never runs a field as a formula (CSV injection).</summary>
    public static string Quote(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
