using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Storage;
using SmartSeal.Protocol.Messages;

namespace SmartSeal.Cloud.Gate;

/// <summary>
/// The only SQL on the gate's own tables: <c>gate_decisions</c> (every face match a gate sent,
/// accepted or not), <c>gate_cabinets</c> (the cabinet each gate stands at) and
/// <c>face_enrolments</c> (sealed templates, one active row per person). Checkouts reads a
/// decision through <see cref="GateDecisions"/>.
/// </summary>
public static class GateStore
{
    private const string EnrolmentColumns = "login AS Login, recipe AS Recipe, templates AS Templates, enrolled_by AS EnrolledBy, enrolled_ms AS EnrolledMs, expires_ms AS ExpiresMs, revoked_ms AS RevokedMs, revoked_by AS RevokedBy";

    public static Task<string?> CabinetOfAsync(string gateId, DbConnection connection, DbTransaction? transaction) =>
        connection.QuerySingleOrDefaultAsync<string>("SELECT cabinet_id FROM gate_cabinets WHERE gate_id = @gateId", new { gateId }, transaction);

    public static Task PlaceAsync(GateAssignment assignment, DbConnection connection) =>
        connection.ExecuteAsync(
            """
            INSERT INTO gate_cabinets (gate_id, cabinet_id, updated_by, updated_ms) VALUES (@GateId, @CabinetId, @UpdatedBy, @UpdatedMs)
            ON CONFLICT (gate_id) DO UPDATE SET cabinet_id = excluded.cabinet_id, updated_by = excluded.updated_by, updated_ms = excluded.updated_ms
            """, assignment);

    /// <summary>
    /// Records gate event <paramref name="seq"/> once (a redelivery is a no-op): accepted when
    /// <paramref name="refusal"/> is null, else kept as evidence with that reason.
    /// </summary>
    public static Task RecordDecisionAsync(string gateId, long seq, long deviceMs, long serverMs, FaceMatchBody match, string? refusal, DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync(
            """
            INSERT INTO gate_decisions (gate_id, seq, cabinet_id, subject, score, margin, liveness, frames, photo_id, templates, device_ms, server_ms, accepted, reason)
            VALUES (@gateId, @seq, @CabinetId, @Subject, @Score, @Margin, @Liveness, @Frames, @PhotoId, @TemplateVersion, @deviceMs, @serverMs, @accepted, @refusal)
            ON CONFLICT (gate_id, seq) DO NOTHING
            """,
            new
            {
                gateId, seq, match.CabinetId, match.Subject, match.Score, match.Margin, match.Liveness, match.Frames, match.PhotoId, match.TemplateVersion,
                deviceMs, serverMs, accepted = refusal == null, refusal,
            },
            transaction);

    /// <summary>What the gate saw (scores x 10000) and whether the cloud accepted it; null for no such decision.</summary>
    public static Task<GateDecisionRecord?> FindDecisionAsync(string gateId, long seq, DbConnection connection, DbTransaction? transaction) =>
        connection.QuerySingleOrDefaultAsync<GateDecisionRecord?>(
            "SELECT subject AS Subject, score AS Score, liveness AS Liveness, photo_id AS PhotoId, accepted AS Accepted FROM gate_decisions WHERE gate_id = @gateId AND seq = @seq",
            new { gateId, seq }, transaction);

    public static async Task<FaceEnrolment?> FindEnrolmentAsync(string login, DbConnection connection) =>
        (await connection.QuerySingleOrDefaultAsync<EnrolmentRow>($"SELECT {EnrolmentColumns} FROM face_enrolments WHERE login = @login AND revoked_ms IS NULL", new { login }))?.ToEnrolment();

    /// <summary>Ends the person's active enrolment; the one revoked, or null when there was none.</summary>
    public static async Task<FaceEnrolment?> RevokeEnrolmentAsync(string login, string by, long nowMs, DbConnection connection, DbTransaction transaction) =>
        (await connection.QuerySingleOrDefaultAsync<EnrolmentRow>(
            $"UPDATE face_enrolments SET revoked_ms = @now, revoked_by = @by WHERE login = @login AND revoked_ms IS NULL RETURNING {EnrolmentColumns}",
            new { now = nowMs, by, login }, transaction))?.ToEnrolment();

    public static Task InsertEnrolmentAsync(FaceEnrolment enrolment, byte[] sealedTemplates, DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync(
            """
            INSERT INTO face_enrolments (login, recipe, templates, sealed, enrolled_by, enrolled_ms, expires_ms)
            VALUES (@Login, @Recipe, @Templates, @Sealed, @EnrolledBy, @EnrolledMs, @ExpiresMs)
            """,
            new { enrolment.Login, enrolment.Recipe, enrolment.Templates, Sealed = sealedTemplates, enrolment.EnrolledBy, enrolment.EnrolledMs, enrolment.ExpiresMs }, transaction);

    /// <summary>
    /// The active, unexpired enrolments of <paramref name="recipe"/> among <paramref name="logins"/>,
    /// by login (the templates a gate set is built from; who may be on it is <see cref="CabinetEntitlements"/>'s).
    /// </summary>
    public static async Task<IReadOnlyList<SealedTemplates>> ActiveTemplatesAsync(IReadOnlyCollection<string> logins, long nowMs, string recipe, DbConnection connection) =>
        await SqlList.QueryInChunksAsync<SealedTemplates>(
            connection,
            """
            SELECT login AS Login, sealed AS Sealed, expires_ms AS ExpiresMs FROM face_enrolments
            WHERE revoked_ms IS NULL AND expires_ms > @now AND recipe = @recipe AND login IN {values}
            ORDER BY login
            """,
            logins,
            new { now = nowMs, recipe });

    private sealed class EnrolmentRow
    {
        public string Login { get; set; } = "";
        public string Recipe { get; set; } = "";
        public long Templates { get; set; }
        public string EnrolledBy { get; set; } = "";
        public long EnrolledMs { get; set; }
        public long ExpiresMs { get; set; }
        public long? RevokedMs { get; set; }
        public string? RevokedBy { get; set; }

        public FaceEnrolment ToEnrolment() => new(Login, Recipe, (int)Templates, EnrolledBy, EnrolledMs, ExpiresMs, RevokedMs, RevokedBy);
    }
}

/// <summary>A recorded face match as other steps need it: who, how sure (x 10000), the capture photo, accepted or not.</summary>
public sealed class GateDecisionRecord
{
    public string Subject { get; set; } = "";
    public long Score { get; set; }
    public long Liveness { get; set; }
    public string? PhotoId { get; set; }
    public bool Accepted { get; set; }
}

/// <summary>A person's active enrolment as a gate set needs it: the sealed templates and when the enrolment expires.</summary>
public sealed class SealedTemplates
{
    public string Login { get; set; } = "";
    public byte[] Sealed { get; set; } = [];
    public long ExpiresMs { get; set; }
}
