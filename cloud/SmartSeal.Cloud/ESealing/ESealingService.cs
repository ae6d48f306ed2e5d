using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Documents;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Seals.Electronic;
using SmartSeal.Cloud.Seals.Electronic.Pdf;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.ESealing;

/// <summary>One sealing of an approved document.</summary>
public sealed record SealingRecord(string Id, string ApplicationId, string DocumentId, string SealId, string DocumentSha256, string SealedSha256, string FieldName,
    string CertificateSerial, int Pages, long LedgerEntryId, string SealedBy, long SealedMs)
{
    public string Download => $"/api/e-sealed/{SealedSha256}";
}

/// <summary>What the applicant asks: which uploaded document, where the seal goes, and optionally the PDF they hold (its hash must be the approved one's).</summary>
public sealed record SealRequest(string? DocumentId, SealPlacement? Placement, string? PdfBase64);

/// <summary>The outcome, mapped onto 200, 400, 403, 404 or 409 with the reason.</summary>
public sealed record SealOutcome(SealingRecord? Sealing, int Status, string? Problem);

/// <summary>
/// Approval-bound sealing (issue 16 item 4): only the applicant of an approved electronic
/// application, only inside its window, only the document uploaded with it (hash match), at most
/// the approved number of times, only with a recorded e-seal whose certificate is current. The
/// seal is applied with <see cref="PdfSealer"/> (key on the token, time stamp from the cloud's
/// authority); the sealed file is stored by its hash and the sealing commits with its ledger entry
/// on the seal's chain. Any refusal leaves no file, no row and no ledger entry.
/// </summary>
public sealed class ESealingService(Database database, ApplicationDirectory applications, DocumentService documents, ESealRegister eSeals, ImpressionScans impressions, Pkcs11Token token,
    SealCertificateAuthority authority, LedgerTimeStampAuthority timeStamps, LedgerService ledger, SealedFiles files,
    IOptions<ESealingOptions> options, TimeProvider time, ILogger<ESealingService> logger)
{
    private const string Columns = """
        id AS Id, application_id AS ApplicationId, document_id AS DocumentId, seal_id AS SealId, document_sha256 AS DocumentSha256, sealed_sha256 AS SealedSha256,
        field_name AS FieldName, cert_serial AS CertificateSerial, pages AS Pages, ledger_entry AS LedgerEntryId, sealed_by AS SealedBy, sealed_ms AS SealedMs
        """;

    /// <summary>The answer to a time-stamp request: the cloud's own authority (replaceable in tests by an authority that is down).</summary>
    public Func<byte[], byte[]> TimeStampAuthority { get; set; } = request => timeStamps.Respond(request);

    public async Task<SealOutcome> SealAsync(string applicationId, SealRequest request, string caller, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.DocumentId) || request.Placement is null || request.Placement.IsEmpty)
        {
            return Refused(400, "documentId and placement (spots, everyPage or crossPage) are required");
        }

        ApplicationRecord? application = (await applications.RecordsAsync([applicationId], cancellationToken)).FirstOrDefault();
        if (application is null || application.Applicant != caller)
        {
            return Refused(application is null ? 404 : 403, application is null ? $"no application {applicationId}" : "only the applicant seals the application's documents");
        }

        string? status = (await applications.StatusAsync(applicationId, cancellationToken))?.Status;
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (status != "approved")
        {
            return Refused(409, $"the application is {status}: sealing needs an approved application");
        }

        if (application.Content.Mode != ApplicationMode.Electronic)
        {
            return Refused(409, $"the application is for {Kebab.Of(application.Content.Mode)} use of the metal seal, not electronic sealing");
        }

        if (now < application.Content.WindowFromMs || now > application.Content.WindowToMs)
        {
            return Refused(409, "outside the approved window");
        }

        if (await CountAsync(applicationId, cancellationToken) >= application.Content.Stamps)
        {
            return Refused(409, $"the approved {application.Content.Stamps} sealing(s) are used up");
        }

        ESealForSigning? signing = await eSeals.ForSigningAsync(application.Content.SealId, cancellationToken);
        if (signing is null)
        {
            return Refused(409, $"seal {application.Content.SealId} has no electronic form");
        }

        using var certificate = signing.Certificate;
        if (!ESealLifecycle.CanSeal(signing.ESeal.State) || certificate is null || signing.ESeal.KeyLabel is null)
        {
            return Refused(409, $"e-seal {signing.Seal.Id} is {Kebab.Of(signing.ESeal.State)}: only a recorded e-seal seals");
        }

        if (certificate.NotAfter.ToUniversalTime() < time.GetUtcNow().UtcDateTime || certificate.NotBefore.ToUniversalTime() > time.GetUtcNow().UtcDateTime)
        {
            return Refused(409, $"the certificate of e-seal {signing.Seal.Id} is not valid now (valid {certificate.NotBefore:u} – {certificate.NotAfter:u}); change the e-seal for a new one");
        }

        if (await eSeals.RevokedAtAsync(certificate.SerialNumber, cancellationToken) is not null)
        {
            return Refused(409, $"the certificate {certificate.SerialNumber} of e-seal {signing.Seal.Id} is revoked");
        }

        DocumentView? document = (await documents.ListAsync(applicationId, cancellationToken)).FirstOrDefault(d => d.Id == request.DocumentId);
        DocumentResult<(string Name, byte[] Pdf)> original = await documents.OriginalAsync(applicationId, request.DocumentId!, cancellationToken);
        if (document is null || original.Outcome != DocumentOutcome.Done)
        {
            return Refused(404, $"no document {request.DocumentId} in application {applicationId}");
        }

        byte[] pdf = original.Value.Pdf;
        if (request.PdfBase64 is { } offered)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(offered);
            }
            catch (FormatException)
            {
                return Refused(400, "pdfBase64 is not base64");
            }

            if (!string.Equals(SealedFiles.Sha256Of(bytes), document.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return Refused(409, $"the document differs from the approved one (SHA-256 {SealedFiles.Sha256Of(bytes)}, approved {document.Sha256})");
            }

            pdf = bytes;
        }

        if (!string.Equals(SealedFiles.Sha256Of(pdf), document.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            logger.LogError("document {DocumentId} of {ApplicationId}: the stored file no longer has the approved hash", document.Id, applicationId);
            return Refused(409, "the stored document no longer has the approved hash");
        }

        IImpression impression = await impressions.ImpressionOfAsync(signing.Seal, signing.ESeal, cancellationToken);
        SealedPdf sealedPdf;
        try
        {
            byte[] prepared = PdfIntake.Prepare(pdf, options.Value.MaxDocumentBytes);
            using var key = new TokenRsa(token, signing.ESeal.KeyLabel, certificate.GetRSAPublicKey()!.ExportParameters(false));
            var signer = new SealSigner(certificate, [authority.Issuing, authority.Root], key, signing.Seal.Name);
            sealedPdf = PdfSealer.Seal(prepared, impression, request.Placement, signer, TimeStampAuthority, time.GetUtcNow(), application.Content.Purpose);
        }
        catch (PdfRefusedException e)
        {
            return Refused(409, e.Message);
        }
        catch (ArgumentException e)
        {
            return Refused(400, e.Message);
        }
        catch (Exception e) when (e is TimeStampException or TokenException or FormatException or CryptographicException)
        {
            logger.LogWarning(e, "sealing {DocumentId} of {ApplicationId} refused", document.Id, applicationId);
            return Refused(409, e.Message);
        }

        string sealedSha = await files.PutAsync(sealedPdf.Bytes, cancellationToken);
        try
        {
            SealingRecord? done = await RecordAsync(application, document, signing, certificate.SerialNumber, sealedPdf, sealedSha, caller, now, cancellationToken);
            if (done is null)
            {
                files.Delete(sealedSha);
                return Refused(409, $"the approved {application.Content.Stamps} sealing(s) are used up");
            }

            return new SealOutcome(done, 200, null);
        }
        catch
        {
            files.Delete(sealedSha);
            throw;
        }
    }

    /// <summary>The sealings of an application, oldest first.</summary>
    public async Task<IReadOnlyList<SealingRecord>> ListAsync(string applicationId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ESealingRow>(new CommandDefinition($"SELECT {Columns} FROM e_sealings WHERE application_id = @applicationId ORDER BY sealed_ms", new { applicationId }, cancellationToken: cancellationToken)))
            .Select(r => r.ToSealing()).ToList();
    }

    /// <summary>The sealings that produced the file with this hash.</summary>
    public async Task<IReadOnlyList<SealingRecord>> BySealedFileAsync(string sealedSha256, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ESealingRow>(new CommandDefinition($"SELECT {Columns} FROM e_sealings WHERE sealed_sha256 = @sealedSha256", new { sealedSha256 }, cancellationToken: cancellationToken)))
            .Select(r => r.ToSealing()).ToList();
    }

    /// <summary>The sealing that wrote a signature field with this certificate (what a verifier finds in a PDF).</summary>
    public async Task<SealingRecord?> ByFieldAsync(string fieldName, string certificateSerial, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryFirstOrDefaultAsync<ESealingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM e_sealings WHERE field_name = @fieldName AND cert_serial = @certificateSerial", new { fieldName, certificateSerial }, cancellationToken: cancellationToken)))?.ToSealing();
    }

    private async Task<long> CountAsync(string applicationId, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM e_sealings WHERE application_id = @applicationId", new { applicationId }, cancellationToken: cancellationToken));
    }

    /// <summary>The row and its ledger entry in one transaction; null when the approved count was reached meanwhile.</summary>
    private async Task<SealingRecord?> RecordAsync(ApplicationRecord application, DocumentView document, ESealForSigning signing, string serial, SealedPdf sealedPdf, string sealedSha,
        string caller, long now, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        long used = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM e_sealings WHERE application_id = @Id", new { application.Id }, transaction);
        if (used >= application.Content.Stamps)
        {
            return null;
        }

        string id = "es-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        IReadOnlyList<StoredLedgerEntry> stored = await ledger.AppendAsync([new LedgerEntry
        {
            SealId = signing.Seal.Id, Kind = ESealingLedgerKinds.ESeal, AtMs = now, Actor = caller, ApplicationId = application.Id, Source = "e-sealing:" + id, // the ledger's de-duplication key
            Fields = new Dictionary<string, string>
            {
                ["document"] = document.Id, ["documentSha256"] = document.Sha256, ["sealedSha256"] = sealedSha, ["field"] = sealedPdf.FieldName,
                ["pages"] = string.Join(',', sealedPdf.Pages), ["positions"] = string.Join(';', sealedPdf.Positions), ["certificate"] = serial,
                ["timeStamp"] = Convert.ToBase64String(sealedPdf.TimeStampToken), ["timeStampedAt"] = sealedPdf.TimeStampedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                ["copy"] = (used + 1).ToString(CultureInfo.InvariantCulture),
            },
        }], connection, transaction, cancellationToken);
        var sealing = new SealingRecord(id, application.Id, document.Id, signing.Seal.Id, document.Sha256.ToLowerInvariant(),
            sealedSha, sealedPdf.FieldName, serial, sealedPdf.Pages.Count, stored[0].Id, caller, now);
        await connection.ExecuteAsync(
            """
            INSERT INTO e_sealings (id, application_id, document_id, seal_id, document_sha256, sealed_sha256, field_name, cert_serial, pages, ledger_entry, sealed_by, sealed_ms)
            VALUES (@Id, @ApplicationId, @DocumentId, @SealId, @DocumentSha256, @SealedSha256, @FieldName, @CertificateSerial, @Pages, @LedgerEntryId, @SealedBy, @SealedMs)
            """,
            sealing, transaction);
        await transaction.CommitAsync(cancellationToken);
        return sealing;
    }

    private static SealOutcome Refused(int status, string problem) => new(null, status, problem);

    /// <summary>Dapper maps rows onto this (SQLite hands back integers as Int64).</summary>
    private sealed class ESealingRow
    {
        public string Id { get; set; } = "";

        public string ApplicationId { get; set; } = "";

        public string DocumentId { get; set; } = "";

        public string SealId { get; set; } = "";

        public string DocumentSha256 { get; set; } = "";

        public string SealedSha256 { get; set; } = "";

        public string FieldName { get; set; } = "";

        public string CertificateSerial { get; set; } = "";

        public long Pages { get; set; }

        public long LedgerEntryId { get; set; }

        public string SealedBy { get; set; } = "";

        public long SealedMs { get; set; }

        public SealingRecord ToSealing() => new(Id, ApplicationId, DocumentId, SealId, DocumentSha256, SealedSha256, FieldName, CertificateSerial, (int)Pages, LedgerEntryId, SealedBy, SealedMs);
    }
}

/// <summary>The ledger kind of an e-sealing (beside the physical "stamp").</summary>
public static class ESealingLedgerKinds
{
    public const string ESeal = "e-stamp";
}
