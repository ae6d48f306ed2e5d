using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Applications;

/// <summary>Seals' scopes of authority (table <c>seal_scopes</c>); <see cref="ApplicationService"/> enforces them when an application is made.</summary>
public sealed class SealScopes(Database database, SealDirectory seals, OrgDirectory organisation, TimeProvider time)
{
    public async Task<SealScope?> FindAsync(string sealId, DbConnection connection, DbTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<Row>(
            "SELECT seal_id AS SealId, purposes AS Purposes, document_types AS DocumentTypes, units AS Units, posts AS Posts, allow_authorisation AS AllowAuthorisation, updated_by AS UpdatedBy, updated_ms AS UpdatedMs FROM seal_scopes WHERE seal_id = @sealId",
            new { sealId }, transaction))?.ToScope();

    public async Task<SealScope?> FindAsync(string sealId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(sealId, connection);
    }

    /// <summary>Sets the scope of a seal of a unit the caller keeps (another unit's seal is not found, as elsewhere).</summary>
    public async Task<ChangeResult<SealScope>> SaveAsync(string sealId, SealScopeRequest request, CallerScope caller, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        Seal? seal = await seals.FindAsync(connection, null, sealId);
        string? sealPath = seal is null ? null : (await organisation.UnitPathsAsync(connection, null, [seal.UnitId])).GetValueOrDefault(seal.UnitId);
        if (sealPath is null || !(caller.Everything || caller.KeeperUnitIds.Any(k => sealPath.Contains("/" + k + "/", StringComparison.Ordinal))))
        {
            return ChangeResult<SealScope>.NotFound($"no seal {sealId} in the units you keep");
        }

        string actor = caller.Actor;

        static string[] Clean(string[]? values) => (values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct(StringComparer.Ordinal).ToArray();
        string[] units = Clean(request.Units);
        IReadOnlyDictionary<string, string> known = units.Length == 0 ? new Dictionary<string, string>() : await organisation.UnitPathsAsync(connection, null, units);
        if (units.FirstOrDefault(u => !known.ContainsKey(u)) is { } unknown)
        {
            return ChangeResult<SealScope>.Invalid("units", $"no unit {unknown}");
        }

        var scope = new SealScope(sealId, [.. Clean(request.Purposes).Select(p => p.ToLowerInvariant())], Clean(request.DocumentTypes), units, Clean(request.Posts),
            request.AllowAuthorisation ?? true, actor, time.GetUtcNow().ToUnixTimeMilliseconds());
        await connection.ExecuteAsync(
            """
            INSERT INTO seal_scopes (seal_id, purposes, document_types, units, posts, allow_authorisation, updated_by, updated_ms)
            VALUES (@SealId, @purposes, @documentTypes, @units, @posts, @AllowAuthorisation, @UpdatedBy, @UpdatedMs)
            ON CONFLICT (seal_id) DO UPDATE SET purposes = @purposes, document_types = @documentTypes, units = @units, posts = @posts,
                allow_authorisation = @AllowAuthorisation, updated_by = @UpdatedBy, updated_ms = @UpdatedMs
            """,
            new
            {
                scope.SealId, purposes = ApplicationJson.Write(scope.Purposes), documentTypes = ApplicationJson.Write(scope.DocumentTypes), units = ApplicationJson.Write(scope.Units),
                posts = ApplicationJson.Write(scope.Posts), scope.AllowAuthorisation, scope.UpdatedBy, scope.UpdatedMs,
            });
        return ChangeResult<SealScope>.Ok(scope);
    }

    private sealed class Row
    {
        public string SealId { get; set; } = "";

        public string Purposes { get; set; } = "[]";

        public string DocumentTypes { get; set; } = "[]";

        public string Units { get; set; } = "[]";

        public string Posts { get; set; } = "[]";

        public bool AllowAuthorisation { get; set; }

        public string? UpdatedBy { get; set; }

        public long UpdatedMs { get; set; }

        public SealScope ToScope() => new(SealId, ApplicationJson.Read<string[]>(Purposes), ApplicationJson.Read<string[]>(DocumentTypes), ApplicationJson.Read<string[]>(Units),
            ApplicationJson.Read<string[]>(Posts), AllowAuthorisation, UpdatedBy, UpdatedMs);
    }
}
