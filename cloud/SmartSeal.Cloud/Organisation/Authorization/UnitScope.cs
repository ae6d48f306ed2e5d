using Dapper;

namespace SmartSeal.Cloud.Organisation.Authorization;

/// <summary>
/// The units in which a caller holds one <see cref="UnitRight"/>: the roots where a role was
/// granted and every unit in their subtrees. <see cref="Everything"/> for sysadmins.
/// </summary>
public sealed record UnitScope(bool Everything, IReadOnlyList<string> Roots, IReadOnlySet<string> Units)
{
    public static readonly UnitScope All = new(true, [], new HashSet<string>());

    /// <summary>Whether an object owned by <paramref name="unitId"/> is inside (an object of no unit is inside only for sysadmins).</summary>
    public bool Contains(string? unitId) => Everything || (unitId != null && Units.Contains(unitId));

    /// <summary>SQL: the <c>org_units</c> row <paramref name="unitAlias"/> lies in this scope.</summary>
    public string SqlCondition(DynamicParameters parameters, string unitAlias) =>
        Everything ? "TRUE" : UnitSubtree.WithinAny(parameters, "scope", unitAlias, Roots);
}
