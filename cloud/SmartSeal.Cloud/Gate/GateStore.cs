using System.Data.Common;
using Dapper;

namespace SmartSeal.Cloud.Gate;

/// <summary>
/// The only SQL on the gate's own tables: <c>gate_decisions</c> (every face match a gate sent,
/// accepted or not) and <c>gate_cabinets</c> (the cabinet each gate stands at). Other modules read a
/// decision through <see cref="FindDecisionAsync"/>; enrolments (<c>face_enrolments</c>) are
/// <see cref="FaceEnrolmentService"/>'s.
/// </summary>
public static class GateStore
{
    public static Task<string?> CabinetOfAsync(string gateId, DbConnection connection, DbTransaction? transaction) =>
        connection.QuerySingleOrDefaultAsync<string>("SELECT cabinet_id FROM gate_cabinets WHERE gate_id = @gateId", new { gateId }, transaction);

    public static Task PlaceAsync(GateAssignment assignment, DbConnection connection) =>
        connection.ExecuteAsync(
            """
            INSERT INTO gate_cabinets (gate_id, cabinet_id, updated_by, updated_ms) VALUES (@GateId, @CabinetId, @UpdatedBy, @UpdatedMs)
            ON CONFLICT (gate_id) DO UPDATE SET cabinet_id = excluded.cabinet_id, updated_by = excluded.updated_by, updated_ms = excluded.updated_ms
            """, assignment);

    /// <summary>Records a decision once: a redelivered <c>(gate, seq)</c> is a no-op.</summary>
    public static Task RecordDecisionAsync(GateDecisionRecord decision, DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync(
            """
            INSERT INTO gate_decisions (gate_id, seq, cabinet_id, subject, score, margin, liveness, frames, photo_id, templates, device_ms, server_ms, accepted, reason)
            VALUES (@GateId, @Seq, @CabinetId, @Subject, @Score, @Margin, @Liveness, @Frames, @PhotoId, @Templates, @DeviceMs, @ServerMs, @Accepted, @Reason)
            ON CONFLICT (gate_id, seq) DO NOTHING
            """, decision, transaction);

    public static Task<GateDecisionRecord?> FindDecisionAsync(string gateId, long seq, DbConnection connection, DbTransaction? transaction) =>
        connection.QuerySingleOrDefaultAsync<GateDecisionRecord?>(
            """
            SELECT gate_id AS GateId, seq AS Seq, cabinet_id AS CabinetId, subject AS Subject, score AS Score, margin AS Margin, liveness AS Liveness,
                   frames AS Frames, photo_id AS PhotoId, templates AS Templates, device_ms AS DeviceMs, server_ms AS ServerMs, accepted AS Accepted, reason AS Reason
            FROM gate_decisions WHERE gate_id = @gateId AND seq = @seq
            """, new { gateId, seq }, transaction);
}

/// <summary>One face match as the cloud recorded it (scores x 10000); not accepted when <see cref="Reason"/> says why.</summary>
public sealed class GateDecisionRecord
{
    public string GateId { get; set; } = "";
    public long Seq { get; set; }
    public string CabinetId { get; set; } = "";
    public string Subject { get; set; } = "";
    public long Score { get; set; }
    public long Margin { get; set; }
    public long Liveness { get; set; }
    public long Frames { get; set; }
    public string? PhotoId { get; set; }
    public string? Templates { get; set; }
    public long DeviceMs { get; set; }
    public long ServerMs { get; set; }
    public bool Accepted { get; set; }
    public string? Reason { get; set; }
}
