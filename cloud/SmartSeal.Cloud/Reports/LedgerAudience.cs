using System.Data.Common;
using System.Security.Claims;
using Dapper;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Reports;

/// <summary>
/// Whose ledger a caller may read: sysadmins (and the admin API key) every chain; auditors and
/// keepers the chains of seals owned by the units (and sub-units) on which they hold that role,
/// the organisation chains <c>org:{unit}</c> of those units and the device chains
/// <c>device:{id}</c> (remote disable/enable) of devices assigned to them. Other roles (applicant,
/// approver) give no ledger access: the ledger is an audit record, not a personal history.
/// As <see cref="ILedgerScope"/> it tells the ledger's reader which chains those are.
/// </summary>
public sealed record LedgerAudience(string Actor, bool Everything, IReadOnlyList<string> UnitIds) : ILedgerScope
{
    public static LedgerAudience Of(ClaimsPrincipal user)
    {
        string actor = user.Identity?.Name ?? "anonymous";
        if (user.IsInRole(Roles.SysAdmin))
        {
            return new LedgerAudience(actor, true, []);
        }

        return new LedgerAudience(actor, false, CallerScope.UnitsWith(user, UnitAuthority.RolesFor(UnitRight.Audit)));
    }

    public static LedgerAudience All(string actor) => new(actor, true, []);

    /// <summary>
    /// SQL over <c>ledger_entries e</c>: the owning unit of each entry's chain (<c>u</c>: the seal's
    /// unit, the device's unit, or the unit of an <c>org:</c> chain; NULL for an unregistered seal or
    /// an unassigned device) and the condition that the caller may read it.
    /// </summary>
    public (string Join, string Where) Sql(DynamicParameters parameters)
    {
        const string join = """
            LEFT JOIN seals s ON s.id = e.seal_id
            LEFT JOIN devices dv ON e.seal_id LIKE 'device:%' AND dv.id = SUBSTR(e.seal_id, 8)
            LEFT JOIN org_units u ON u.id = COALESCE(s.unit_id, dv.org_unit, CASE WHEN e.seal_id LIKE 'org:%' THEN SUBSTR(e.seal_id, 5) END)
            """;
        return (join, UnitCondition(parameters, "u"));
    }

    /// <summary>SQL: the org unit row <paramref name="unitAlias"/> lies in the caller's scope (TRUE for everything, FALSE for nothing).</summary>
    public string UnitCondition(DynamicParameters parameters, string unitAlias)
    {
        if (Everything)
        {
            return "TRUE";
        }

        return UnitSubtree.WithinAny(parameters, "scope", unitAlias, UnitIds);
    }

    /// <summary>The same rule as <see cref="Sql"/>, as ids: registered seals, assigned devices and units in scope (and in <paramref name="unitId"/>'s subtree when given).</summary>
    public async Task<IReadOnlyList<string>?> ChainsAsync(DbConnection connection, string? unitId, CancellationToken cancellationToken)
    {
        if (Everything && unitId is null)
        {
            return null;
        }

        var parameters = new DynamicParameters(new { unitId });
        string within = UnitCondition(parameters, "u") + (unitId is null ? "" : " AND " + UnitSubtree.OfUnit("u", "@unitId"));
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT s.id FROM seals s JOIN org_units u ON u.id = s.unit_id WHERE {within}
            UNION ALL SELECT 'device:' || dv.id FROM devices dv JOIN org_units u ON u.id = dv.org_unit WHERE {within}
            UNION ALL SELECT 'org:' || u.id FROM org_units u WHERE {within}
            """,
            parameters, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<IReadOnlyList<string>> ApplicationsOfAsync(DbConnection connection, string person, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<string>(new CommandDefinition("SELECT id FROM applications WHERE applicant = @person", new { person }, cancellationToken: cancellationToken))).ToList();
}
