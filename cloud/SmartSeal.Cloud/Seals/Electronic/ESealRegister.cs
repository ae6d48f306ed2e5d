using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.Extensions.Logging;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Seals.Electronic;

/// <summary>
/// The electronic side of the seal register. A register seal gets an electronic form (its twin:
/// same row, so same name, unit, type, level and keeper) and then walks <see cref="ESealLifecycle"/>.
/// Make and change generate a key pair on the token and have the CA certify it; change and revoke
/// put the old certificate on the CRL. Every transition commits with its ledger entry (kind
/// "e-seal") on the seal's chain, compare-and-set on the state; a key generated for a transition
/// that then loses the race is destroyed on the token, so nothing is left half-made.
/// </summary>
public sealed class ESealRegister(Database database, SealRegistry seals, LedgerService ledger, Pkcs11Token token, SealCertificateAuthority authority,
    TimeProvider time, ILogger<ESealRegister> logger)
{
    private const string Columns = """
        seal_id AS SealId, form AS Form, state AS State, key_label AS KeyLabel, cert_serial AS CertificateSerial, cert_not_after AS CertificateNotAfterMs,
        created_ms AS CreatedMs, updated_ms AS UpdatedMs, impression AS Impression, impression_scan AS ImpressionScanId
        """;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Gives an existing physical seal its electronic twin (申请制作: state requested).</summary>
    public async Task<ChangeResult<ESealView>> AddTwinAsync(string sealId, CallerScope writer, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        ChangeResult<Seal> loaded = await seals.LoadForChangeAsync(connection, transaction, sealId, writer);
        if (loaded.Value is not { } seal)
        {
            return Failed<ESealView, Seal>(loaded);
        }

        if (SealLifecycle.IsFinished(seal.State))
        {
            return ChangeResult<ESealView>.Conflict($"seal {sealId} is {Kebab.Of(seal.State)}: it can no longer get an electronic twin");
        }

        if (await ReadAsync(connection, transaction, sealId) is { } existing)
        {
            return ChangeResult<ESealView>.Conflict($"seal {sealId} already has an electronic form ({Kebab.Of(existing.State)})");
        }

        long now = Now;
        ESeal created = await InsertAsync(ledger, connection, transaction, seal.Id, SealForm.Both, writer.Actor, now);
        await transaction.CommitAsync(cancellationToken);
        return ChangeResult<ESealView>.Ok(new ESealView(seal, created));
    }

    /// <summary>Inserts the electronic form of a seal in the caller's transaction, with its ledger entry (registration of an electronic seal, or a twin).</summary>
    internal static async Task<ESeal> InsertAsync(LedgerService ledger, DbConnection connection, DbTransaction transaction, string sealId, SealForm form, string actor, long now)
    {
        await connection.ExecuteAsync(
            "INSERT INTO e_seals (seal_id, form, state, created_ms, updated_ms) VALUES (@sealId, @form, @state, @now, @now)",
            new { sealId, form = Kebab.Of(form), state = Kebab.Of(ESealState.Requested), now }, transaction);
        await ledger.AppendAsync([Entry(sealId, actor, now, new() { ["action"] = "requested", ["form"] = Kebab.Of(form), ["to"] = Kebab.Of(ESealState.Requested) })], connection, transaction);
        return new ESeal(sealId, form, ESealState.Requested, null, null, null, now, now);
    }

    /// <summary>The seal and its electronic form, or null when there is none or it lies outside the caller's scope.</summary>
    public async Task<ESealView?> FindAsync(string sealId, CallerScope reader, CancellationToken cancellationToken = default)
    {
        if (await seals.FindAsync(sealId, reader, cancellationToken) is not { } seal)
        {
            return null;
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, sealId) is { } eSeal ? new ESealView(seal, eSeal) : null;
    }

    /// <summary>The current seal certificate (DER), whatever the caller's scope (certificates are public).</summary>
    public async Task<X509Certificate2?> CertificateAsync(string sealId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        byte[]? der = await connection.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition("SELECT cert_der FROM e_seals WHERE seal_id = @sealId", new { sealId }, cancellationToken: cancellationToken));
        return der is null ? null : X509CertificateLoader.LoadCertificate(der);
    }

    /// <summary>A seal, its electronic form and its current certificate (null: no electronic form), whatever the caller's scope: the sealing service checks who may use it.</summary>
    public async Task<ESealForSigning?> ForSigningAsync(string sealId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        if (await SealRegistry.ReadAsync(connection, null, sealId) is not { } seal || await ReadAsync(connection, null, sealId) is not { } eSeal)
        {
            return null;
        }

        byte[]? der = await CurrentDerAsync(connection, null, sealId);
        return new ESealForSigning(seal, eSeal, der is null ? null : X509CertificateLoader.LoadCertificate(der));
    }

    /// <summary>The CA's current CRL (DER) over every certificate the register revoked.</summary>
    public async Task<byte[]> CrlAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        var revoked = await connection.QueryAsync<(string Serial, long RevokedMs)>(
            new CommandDefinition("SELECT serial, revoked_ms FROM e_seal_certificates WHERE revoked_ms IS NOT NULL ORDER BY revoked_ms", cancellationToken: cancellationToken));
        return authority.Crl(revoked.Select(r => new RevokedCertificate(r.Serial, DateTimeOffset.FromUnixTimeMilliseconds(r.RevokedMs))));
    }

    /// <summary>When the certificate with <paramref name="serialHex"/> was revoked, or null while it stands (or is unknown).</summary>
    public async Task<DateTimeOffset?> RevokedAtAsync(string serialHex, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        long? ms = await connection.QuerySingleOrDefaultAsync<long?>(
            new CommandDefinition("SELECT revoked_ms FROM e_seal_certificates WHERE serial = @serialHex", new { serialHex }, cancellationToken: cancellationToken));
        return ms is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null;
    }

    /// <summary>Applies an e-seal lifecycle action: 409 names the current state and the allowed actions, or the token's refusal.</summary>
    public async Task<ChangeResult<ESealView>> TransitionAsync(string sealId, ESealAction action, string? reason, CallerScope writer, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(action))
        {
            return ChangeResult<ESealView>.Invalid("action", "one of " + string.Join(", ", Enum.GetValues<ESealAction>().Select(Kebab.Of)));
        }

        if (ESealLifecycle.NeedsReason(action) && string.IsNullOrWhiteSpace(reason))
        {
            return ChangeResult<ESealView>.Invalid("reason", $"is required to {Kebab.Of(action)} an e-seal");
        }

        Seal seal;
        ESeal current;
        await using (DbConnection reading = await database.OpenAsync(cancellationToken))
        {
            ChangeResult<(Seal, ESeal)> loaded = await LoadAsync(reading, null, sealId, writer);
            if (loaded.Status != ChangeStatus.Ok)
            {
                return Failed<ESealView, (Seal, ESeal)>(loaded);
            }

            (seal, current) = loaded.Value;
        }

        if (ESealLifecycle.Next(current.State, action) is not { } next)
        {
            string allowed = current.AllowedActions is { Length: > 0 } actions ? string.Join(", ", actions.Select(Kebab.Of)) : "none";
            return ChangeResult<ESealView>.Conflict($"e-seal {sealId} is {Kebab.Of(current.State)}: cannot {Kebab.Of(action)}; allowed: {allowed}");
        }

        long now = Now;
        Issued? issued = null;
        if (ESealLifecycle.IssuesCertificate(action))
        {
            try
            {
                issued = IssueOnToken(seal, now);
            }
            catch (TokenException e)
            {
                logger.LogError(e, "e-seal {SealId}: {Action} refused by the token", sealId, Kebab.Of(action));
                return ChangeResult<ESealView>.Conflict($"e-seal {sealId}: {e.Message}");
            }
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        await using DbTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        int updated = await connection.ExecuteAsync(
            """
            UPDATE e_seals SET state = @next, key_label = @keyLabel, cert_serial = @serial, cert_der = @der, cert_not_after = @notAfter, updated_ms = @now
            WHERE seal_id = @sealId AND state = @from AND updated_ms = @seen
            """,
            new
            {
                sealId, next = Kebab.Of(next), from = Kebab.Of(current.State), seen = current.UpdatedMs, now,
                keyLabel = issued?.KeyLabel ?? current.KeyLabel, serial = issued?.Serial ?? current.CertificateSerial,
                der = issued?.Der ?? await CurrentDerAsync(connection, transaction, sealId), notAfter = issued?.NotAfterMs ?? current.CertificateNotAfterMs,
            },
            transaction);
        if (updated == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            Forget(issued);
            return ChangeResult<ESealView>.Conflict($"e-seal {sealId} changed meanwhile; read it again");
        }

        var fields = new Dictionary<string, string> { ["action"] = Kebab.Of(action), ["from"] = Kebab.Of(current.State), ["to"] = Kebab.Of(next), ["reason"] = reason ?? string.Empty };
        if (issued is not null)
        {
            await connection.ExecuteAsync(
                "INSERT INTO e_seal_certificates (serial, seal_id, issued_ms, not_after_ms) VALUES (@Serial, @sealId, @now, @NotAfterMs)",
                new { issued.Serial, sealId, now, issued.NotAfterMs }, transaction);
            fields["certificate"] = issued.Serial;
            fields["key"] = issued.KeyLabel;
        }

        bool retiresOld = current.CertificateSerial is not null && (action == ESealAction.Revoke || issued is not null);
        if (retiresOld)
        {
            await connection.ExecuteAsync(
                "UPDATE e_seal_certificates SET revoked_ms = @now, revoke_reason = @why WHERE serial = @serial AND revoked_ms IS NULL",
                new { now, why = Kebab.Of(action) + ": " + reason, serial = current.CertificateSerial }, transaction);
            fields["revokedCertificate"] = current.CertificateSerial!;
        }

        await ledger.AppendAsync([Entry(sealId, writer.Actor, now, fields)], connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        ESeal changed = current with
        {
            State = next, KeyLabel = issued?.KeyLabel ?? current.KeyLabel, CertificateSerial = issued?.Serial ?? current.CertificateSerial,
            CertificateNotAfterMs = issued?.NotAfterMs ?? current.CertificateNotAfterMs, UpdatedMs = now,
        };
        return ChangeResult<ESealView>.Ok(new ESealView(seal, changed));
    }

    /// <summary>The electronic form of a seal whatever the caller's scope; null for a physical-only seal.</summary>
    internal static async Task<ESeal?> ReadAsync(DbConnection connection, DbTransaction? transaction, string sealId) =>
        (await connection.QuerySingleOrDefaultAsync<ESealRow>($"SELECT {Columns} FROM e_seals WHERE seal_id = @sealId", new { sealId }, transaction))?.ToESeal();

    /// <summary>The seal and its electronic form for a change by <paramref name="writer"/>: 404 outside their units or without an electronic form, 403 when they only read there.</summary>
    internal async Task<ChangeResult<(Seal, ESeal)>> LoadAsync(DbConnection connection, DbTransaction? transaction, string sealId, CallerScope writer)
    {
        ChangeResult<Seal> loaded = await seals.LoadForChangeAsync(connection, transaction, sealId, writer);
        if (loaded.Value is not { } seal)
        {
            return Failed<(Seal, ESeal), Seal>(loaded);
        }

        return await ReadAsync(connection, transaction, sealId) is { } eSeal
            ? ChangeResult<(Seal, ESeal)>.Ok((seal, eSeal))
            : ChangeResult<(Seal, ESeal)>.NotFound($"seal {sealId} has no electronic form (POST /api/seals/{sealId}/e-seal makes its twin)");
    }

    private Issued IssueOnToken(Seal seal, long now)
    {
        string label = $"e-seal:{seal.Id}:{now.ToString(CultureInfo.InvariantCulture)}";
        RSAParameters publicKey = token.GenerateKeyPair(label);
        try
        {
            using X509Certificate2 certificate = authority.Issue(seal, publicKey);
            return new Issued(label, certificate.SerialNumber, certificate.RawData, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeMilliseconds());
        }
        catch
        {
            token.Destroy(label);
            throw;
        }
    }

    private void Forget(Issued? issued)
    {
        if (issued is not null)
        {
            token.Destroy(issued.KeyLabel);
        }
    }

    private static Task<byte[]?> CurrentDerAsync(DbConnection connection, DbTransaction? transaction, string sealId) =>
        connection.QuerySingleOrDefaultAsync<byte[]?>("SELECT cert_der FROM e_seals WHERE seal_id = @sealId", new { sealId }, transaction);

    private static LedgerEntry Entry(string sealId, string actor, long now, Dictionary<string, string> fields) =>
        new() { SealId = sealId, Kind = SealLedgerKinds.ESeal, AtMs = now, Actor = actor, Fields = fields };

    private static ChangeResult<T> Failed<T, TFrom>(ChangeResult<TFrom> failed) => new(failed.Status, default, failed.Error, failed.Problems);

    private sealed record Issued(string KeyLabel, string Serial, byte[] Der, long NotAfterMs);

    /// <summary>Dapper maps rows onto this (SQLite hands back integers as Int64; enums are kebab-case text).</summary>
    private sealed class ESealRow
    {
        public string SealId { get; set; } = "";

        public string Form { get; set; } = "";

        public string State { get; set; } = "";

        public string? KeyLabel { get; set; }

        public string? CertificateSerial { get; set; }

        public long? CertificateNotAfterMs { get; set; }

        public long CreatedMs { get; set; }

        public long UpdatedMs { get; set; }

        public string Impression { get; set; } = "rendered";

        public string? ImpressionScanId { get; set; }

        public ESeal ToESeal() => new(SealId, Kebab.Parse<SealForm>(Form), Kebab.Parse<ESealState>(State), KeyLabel, CertificateSerial, CertificateNotAfterMs, CreatedMs, UpdatedMs)
        {
            Impression = Kebab.Parse<ImpressionSource>(Impression), ImpressionScanId = ImpressionScanId,
        };
    }
}
