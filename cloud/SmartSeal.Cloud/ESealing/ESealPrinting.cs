using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals.Electronic.Pdf;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.ESealing;

/// <summary>One printed copy of a sealed document.</summary>
public sealed record PrintedCopy(string Id, string SealingId, string ApplicationId, string SealId, int CopyNumber, string Printer, string JobId, string PrintedSha256,
    long LedgerEntryId, string PrintedBy, long PrintedMs);

/// <summary>What the applicant asks: how many copies, on which queue (default: the first configured).</summary>
public sealed record PrintRequest(int? Copies, string? Printer);

/// <summary>The copies printed, or the status and reason of the refusal (copies printed before a printer failure are in <see cref="Printed"/> and ledgered).</summary>
public sealed record PrintOutcome(IReadOnlyList<PrintedCopy> Printed, int Status, string? Problem);

/// <summary>
/// Remote print (远程电子印章打印, issue 16 item 7): the applicant of an approved electronic
/// application sends one of its sealed documents to a printer. Every copy is numbered on every page
/// ("第 n/N 份", <see cref="PdfCopyMark"/>), sent as its own CUPS job, and ledgered on the seal's
/// chain (kind <c>e-print</c>) with its row, one transaction per copy. The approved count of the
/// application bounds the copies of each sealed document: asking for more is refused before anything prints.
/// </summary>
public sealed class ESealPrinting(Database database, ApplicationDirectory applications, ESealingService sealings, SealedFiles files, LedgerService ledger, IPrintQueue queue,
    IOptions<ESealingOptions> options, TimeProvider time, ILogger<ESealPrinting> logger)
{
    public const string LedgerKind = "e-print";

    private const string Columns = """
        id AS Id, sealing_id AS SealingId, application_id AS ApplicationId, seal_id AS SealId, copy_no AS CopyNumber, printer AS Printer, job_id AS JobId,
        printed_sha256 AS PrintedSha256, ledger_entry AS LedgerEntryId, printed_by AS PrintedBy, printed_ms AS PrintedMs
        """;

    public IReadOnlyList<string> Printers => options.Value.Printers;

    public async Task<PrintOutcome> PrintAsync(string applicationId, string sealingId, PrintRequest request, string caller, CancellationToken cancellationToken = default)
    {
        ApplicationRecord? application = (await applications.RecordsAsync([applicationId], cancellationToken)).FirstOrDefault();
        if (application is null || application.Applicant != caller)
        {
            return Refused(application is null ? 404 : 403, application is null ? $"no application {applicationId}" : "only the applicant prints copies");
        }

        if ((await sealings.ListAsync(applicationId, cancellationToken)).FirstOrDefault(s => s.Id == sealingId) is not { } sealing)
        {
            return Refused(404, $"no sealing {sealingId} in application {applicationId}");
        }

        if (options.Value.Printers.Length == 0)
        {
            return Refused(409, "remote print is not set up (SmartSeal:ESealing:Printers is empty)");
        }

        string printer = string.IsNullOrWhiteSpace(request.Printer) ? options.Value.Printers[0] : request.Printer.Trim();
        if (!options.Value.Printers.Contains(printer, StringComparer.Ordinal))
        {
            return Refused(400, $"printer {printer} is not one of {string.Join(", ", options.Value.Printers)}");
        }

        int copies = request.Copies ?? 1;
        if (copies < 1)
        {
            return Refused(400, "copies must be at least 1");
        }

        string? status = (await applications.StatusAsync(applicationId, cancellationToken))?.Status;
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (status != "approved" || now < application.Content.WindowFromMs || now > application.Content.WindowToMs)
        {
            return Refused(409, status != "approved" ? $"the application is {status}: printing needs an approved application" : "outside the approved window");
        }

        int approved = application.Content.Stamps;
        int printed = (await ListAsync(applicationId, cancellationToken)).Count(p => p.SealingId == sealingId);
        if (printed + copies > approved)
        {
            return Refused(409, $"{copies} more copies would exceed the approved {approved} ({printed} printed)");
        }

        byte[] sealedPdf = await files.GetAsync(sealing.SealedSha256, cancellationToken) ?? throw new InvalidOperationException($"the sealed file {sealing.SealedSha256} is missing");
        var done = new List<PrintedCopy>();
        for (int n = printed + 1; n <= printed + copies; n++)
        {
            string id = "ep-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            byte[] copy = PdfCopyMark.Stamp(sealedPdf, $"第 {n}/{approved} 份 · 远程打印 {id} · {sealing.Id}");
            string jobId;
            try
            {
                jobId = await queue.SubmitAsync(printer, copy, $"{application.Content.Purpose} ({n}/{approved})", cancellationToken);
            }
            catch (PrintFailedException e)
            {
                logger.LogWarning("copy {Copy} of sealing {SealingId} not printed: {Reason}", n, sealingId, e.Message);
                return new PrintOutcome(done, 502, $"copy {n} was not printed: {e.Message}" + (done.Count > 0 ? $" (copies {done[0].CopyNumber}–{done[^1].CopyNumber} were)" : string.Empty));
            }

            PrintedCopy? recorded = await RecordAsync(new PrintedCopy(id, sealing.Id, applicationId, sealing.SealId, n, printer, jobId, SealedFiles.Sha256Of(copy), 0, caller, now), approved, cancellationToken);
            if (recorded is null)
            {
                logger.LogError("copy {Copy} of sealing {SealingId} was printed as job {JobId} but another print took its number", n, sealingId, jobId);
                return new PrintOutcome(done, 409, $"copy {n} was taken by a print at the same time (job {jobId} printed it anyway; see the log)");
            }

            done.Add(recorded);
        }

        return new PrintOutcome(done, 200, null);
    }

    /// <summary>The printed copies of an application, oldest first.</summary>
    public async Task<IReadOnlyList<PrintedCopy>> ListAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<PrintRow>(new CommandDefinition($"SELECT {Columns} FROM e_seal_prints WHERE application_id = @applicationId ORDER BY printed_ms, copy_no", new { applicationId }, cancellationToken: cancellationToken)))
            .Select(r => r.ToCopy()).ToList();
    }

    /// <summary>The row and its ledger entry in one transaction; null when the number was taken meanwhile or the approved count reached.</summary>
    private async Task<PrintedCopy?> RecordAsync(PrintedCopy copy, int approved, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long used = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM e_seal_prints WHERE sealing_id = @SealingId", new { copy.SealingId }, transaction);
        if (used >= approved || used != copy.CopyNumber - 1)
        {
            return null;
        }

        IReadOnlyList<StoredLedgerEntry> stored = await ledger.AppendAsync([new LedgerEntry
        {
            SealId = copy.SealId, Kind = LedgerKind, AtMs = copy.PrintedMs, Actor = copy.PrintedBy, ApplicationId = copy.ApplicationId, Source = "e-print:" + copy.Id,
            Fields = new Dictionary<string, string>
            {
                ["sealing"] = copy.SealingId, ["copy"] = copy.CopyNumber.ToString(CultureInfo.InvariantCulture), ["of"] = approved.ToString(CultureInfo.InvariantCulture),
                ["printer"] = copy.Printer, ["job"] = copy.JobId, ["printedSha256"] = copy.PrintedSha256,
            },
        }], connection, transaction, cancellationToken);
        PrintedCopy recorded = copy with { LedgerEntryId = stored[0].Id };
        await connection.ExecuteAsync(
            """
            INSERT INTO e_seal_prints (id, sealing_id, application_id, seal_id, copy_no, printer, job_id, printed_sha256, ledger_entry, printed_by, printed_ms)
            VALUES (@Id, @SealingId, @ApplicationId, @SealId, @CopyNumber, @Printer, @JobId, @PrintedSha256, @LedgerEntryId, @PrintedBy, @PrintedMs)
            """,
            recorded, transaction);
        await transaction.CommitAsync(cancellationToken);
        return recorded;
    }

    private static PrintOutcome Refused(int status, string problem) => new([], status, problem);

    /// <summary>Dapper maps rows onto this (SQLite hands back integers as Int64).</summary>
    private sealed class PrintRow
    {
        public string Id { get; set; } = "";

        public string SealingId { get; set; } = "";

        public string ApplicationId { get; set; } = "";

        public string SealId { get; set; } = "";

        public long CopyNumber { get; set; }

        public string Printer { get; set; } = "";

        public string JobId { get; set; } = "";

        public string PrintedSha256 { get; set; } = "";

        public long LedgerEntryId { get; set; }

        public string PrintedBy { get; set; } = "";

        public long PrintedMs { get; set; }

        public PrintedCopy ToCopy() => new(Id, SealingId, ApplicationId, SealId, (int)CopyNumber, Printer, JobId, PrintedSha256, LedgerEntryId, PrintedBy, PrintedMs);
    }
}
