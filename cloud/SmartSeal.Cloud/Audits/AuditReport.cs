using System.Globalization;
using System.Text;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Reports;

namespace SmartSeal.Cloud.Audits;

/// <summary>
/// An audit's report: the period and units, each unit's score (考核), every finding with its
/// rectification, and the checklist's outcome. CSV (one row per score, then per finding, first column
/// says which; formula-safe quoting) and PDF (A4, Chinese with English). Units and people by name, times local.
/// </summary>
public sealed class AuditReport(AuditService audits, OrgDirectory people, ReportClock clock, Microsoft.Extensions.Options.IOptions<ReportsOptions> reports)
{
    private static readonly Dictionary<string, string> Severity = new()
    {
        [FindingSeverity.Minor] = "轻微 minor", [FindingSeverity.Moderate] = "一般 moderate", [FindingSeverity.Severe] = "严重 severe",
    };

    private static readonly Dictionary<string, string> Status = new()
    {
        [FindingStatus.Open] = "待整改指派 open", [FindingStatus.Rectifying] = "整改中 rectifying", [FindingStatus.Answered] = "已答复 answered", [FindingStatus.Closed] = "已关闭 closed",
    };

    public async Task<byte[]> CsvAsync(Audit audit, CancellationToken cancellationToken)
    {
        (IReadOnlyDictionary<string, string> units, IReadOnlyDictionary<string, PersonCard> persons) = await NamesAsync(audit, cancellationToken);
        var csv = new StringBuilder();
        void Line(params string?[] values) => csv.Append(string.Join(",", values.Select(v => LedgerCsvWriter.Quote(v ?? "")))).Append("\r\n");
        Line("record", "unit", "score", "minor", "moderate", "severe", "overdue", "finding", "severity", "status", "description", "recorded_by", "recorded_at",
            "rectify_unit", "deadline", "answer", "answered_by", "answered_at", "closed_at");
        foreach (UnitScore score in audits.Scores(audit))
        {
            Line("score", Name(units, score.UnitId), Number(score.Score), Number(score.Minor), Number(score.Moderate), Number(score.Severe), Number(score.Overdue));
        }

        foreach (AuditFinding f in audit.Findings)
        {
            Line("finding", Name(units, f.UnitId), null, null, null, null, null, Number(f.Id), f.Severity, f.Status, f.Description, Person(persons, f.RecordedBy),
                Time(f.RecordedMs), f.RectifyUnit is null ? null : Name(units, f.RectifyUnit), Time(f.DeadlineMs), f.Answer, Person(persons, f.AnsweredBy), Time(f.AnsweredMs), Time(f.ClosedMs));
        }

        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
    }

    public async Task<byte[]> PdfAsync(Audit audit, CancellationToken cancellationToken)
    {
        (IReadOnlyDictionary<string, string> units, IReadOnlyDictionary<string, PersonCard> persons) = await NamesAsync(audit, cancellationToken);
        CjkFontResolver.Install(reports.Value.FontPath);
        using var flow = new PdfPageFlow($"审计报告 Audit report #{audit.Id}", $"{audit.Title}    时间 times: {clock.Zone.Id}", landscape: false);
        void Paragraph(string text, PdfSharp.Drawing.XFont? font = null)
        {
            PdfSharp.Drawing.XFont used = font ?? flow.Font;
            flow.Reserve(flow.TextHeight(text, used, flow.Width));
            flow.Y += flow.DrawText(text, used, PdfPageFlow.Margin, flow.Y, flow.Width) + 3;
        }

        Paragraph($"期间 Period: {Time(audit.FromMs)} – {Time(audit.ToMs)}");
        Paragraph($"单位 Units: {string.Join("、", audit.UnitIds.Select(u => Name(units, u)))}");
        Paragraph($"审计人 Auditor: {Person(persons, audit.OpenedBy)}    开始 Opened: {Time(audit.OpenedMs)}    关闭 Closed: {Time(audit.ClosedMs) ?? "未关闭 open"}");
        Paragraph($"抽样种子 Sample seed: {audit.Seed}    检查项 Checklist: {audit.Items.Count}，已检查 checked {audit.Items.Count(i => i.CheckedMs is not null)}，发现问题 with findings {audit.Items.Count(i => i.Outcome == "finding")}");
        flow.Y += 6;
        Paragraph("考核得分 Evaluation scores", flow.Heading);
        foreach (UnitScore score in audits.Scores(audit))
        {
            Paragraph($"{Name(units, score.UnitId)}: {score.Score} / {AuditScoring.Full}    轻微 {score.Minor} · 一般 {score.Moderate} · 严重 {score.Severe} · 逾期 overdue {score.Overdue}");
        }

        flow.Y += 6;
        Paragraph("问题与整改 Findings and rectification", flow.Heading);
        if (audit.Findings.Count == 0)
        {
            Paragraph("无问题 No findings.");
        }

        foreach (AuditFinding f in audit.Findings)
        {
            Paragraph($"#{f.Id} {Severity[f.Severity]} · {Status[f.Status]} · {Name(units, f.UnitId)}", flow.Font);
            Paragraph($"{f.Description}（{Person(persons, f.RecordedBy)}，{Time(f.RecordedMs)}）");
            if (f.RectifyUnit is not null)
            {
                Paragraph($"整改 Rectification: {Name(units, f.RectifyUnit)}，期限 deadline {Time(f.DeadlineMs)}" + (f.Answer is null ? "" : $"；答复 answer: {f.Answer}（{Person(persons, f.AnsweredBy)}，{Time(f.AnsweredMs)}）"));
            }

            flow.Y += 4;
        }

        using var buffer = new MemoryStream();
        flow.Document.Save(buffer, closeStream: false);
        return buffer.ToArray();
    }

    private async Task<(IReadOnlyDictionary<string, string> Units, IReadOnlyDictionary<string, PersonCard> People)> NamesAsync(Audit audit, CancellationToken cancellationToken)
    {
        var unitIds = audit.UnitIds.Concat(audit.Findings.Select(f => f.UnitId)).Concat(audit.Findings.Select(f => f.RectifyUnit).OfType<string>()).Distinct().ToList();
        var logins = new[] { audit.OpenedBy }.Concat(audit.Findings.Select(f => f.RecordedBy)).Concat(audit.Findings.Select(f => f.AnsweredBy).OfType<string>()).Distinct().ToList();
        return (await people.UnitNamesAsync(unitIds, cancellationToken), await people.PeopleAsync(logins, cancellationToken));
    }

    private static string Name(IReadOnlyDictionary<string, string> units, string id) => units.TryGetValue(id, out string? name) ? name : id;

    private static string? Person(IReadOnlyDictionary<string, PersonCard> people, string? login) =>
        login is null ? null : people.TryGetValue(login, out PersonCard? card) ? card.Label : login;

    private string? Time(long? ms) => ms is { } value
        ? TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(value), clock.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        : null;

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
