using System.Data.Common;
using Dapper;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>What the orchestration needs to know about a seal, read inside its own transaction (no caller scope: the caller was checked already).</summary>
public sealed record SealFacts(string Id, string Name, string State, string? RfidTag, string? Custodian, string LocationKind, string? LocationRef, long LocationMs)
{
    public static Task<SealFacts?> LoadAsync(string id, DbConnection connection, DbTransaction? transaction) =>
        connection.QuerySingleOrDefaultAsync<SealFacts>(
            """
            SELECT id AS Id, name AS Name, state AS State, rfid_tag AS RfidTag, custodian AS Custodian, location_kind AS LocationKind,
                   location_ref AS LocationRef, location_ms AS LocationMs
            FROM seals WHERE id = @id
            """,
            new { id }, transaction);
}
