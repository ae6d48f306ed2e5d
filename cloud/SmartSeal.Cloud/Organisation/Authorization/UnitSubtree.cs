using Dapper;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Organisation.Authorization;

/// <summary>
/// The one SQL rule for "this unit lies in that unit's subtree". A unit's <c>path</c> is
/// <c>/hq/gd/sz/</c> (every id between slashes, trailing slash included), so a subtree is a path
/// prefix and <c>/hq/gd/</c> never matches <c>/hq/gd2/</c>. Every query that scopes by unit builds
/// its condition here instead of writing the <c>LIKE</c> itself.
/// </summary>
public static class UnitSubtree
{
    /// <summary>SQL: the <c>org_units</c> row <paramref name="unitAlias"/> lies in the subtree of the row <paramref name="rootAlias"/> (itself included).</summary>
    public static string Contains(string rootAlias, string unitAlias) => $"{unitAlias}.path LIKE {rootAlias}.path || '%'";

    /// <summary>
    /// SQL: the unit id in <paramref name="unitIdColumn"/> (a column of another owner's table, such as
    /// <c>seals.unit_id</c>) names a unit in the subtree of the unit whose id is the parameter <paramref name="unitIdParameter"/>,
    /// so that table's owner scopes its rows without naming <c>org_units</c> itself.
    /// </summary>
    public static string IdInSubtreeOf(string unitIdColumn, string unitIdParameter) =>
        $"{unitIdColumn} IN (SELECT su.id FROM org_units su WHERE {OfUnit("su", unitIdParameter)})";

    /// <summary>SQL: the unit id in <paramref name="unitIdColumn"/> names a unit in the subtree of one of <paramref name="rootIds"/> (FALSE for none).</summary>
    public static string IdWithinAny(DynamicParameters parameters, string prefix, string unitIdColumn, IReadOnlyList<string> rootIds) =>
        rootIds.Count == 0
            ? "FALSE"
            : $"{unitIdColumn} IN (SELECT su.id FROM org_units su WHERE {WithinAny(parameters, prefix, "su", rootIds)})";

    /// <summary>The same rule in memory, for two paths already read: the unit at <paramref name="unitPath"/> lies in the subtree of the one at <paramref name="rootPath"/> (itself included).</summary>
    public static bool IsWithin(string unitPath, string rootPath) => unitPath.StartsWith(rootPath, StringComparison.Ordinal);

    /// <summary>SQL: the row <paramref name="unitAlias"/> lies in the subtree of the unit whose id is the parameter <paramref name="unitIdParameter"/>.</summary>
    public static string OfUnit(string unitAlias, string unitIdParameter) =>
        $"{unitAlias}.path LIKE (SELECT f.path FROM org_units f WHERE f.id = {unitIdParameter}) || '%'";

    /// <summary>SQL: one unit of the rows <paramref name="a"/> and <paramref name="b"/> lies in the other's subtree (same line of the tree).</summary>
    public static string SameLine(string a, string b) => $"({Contains(a, b)} OR {Contains(b, a)})";

    /// <summary>The same rule in memory, for two paths already read: one unit lies in the other's subtree.</summary>
    public static bool OnSameLine(string pathA, string pathB) =>
        pathA.StartsWith(pathB, StringComparison.Ordinal) || pathB.StartsWith(pathA, StringComparison.Ordinal);

    /// <summary>SQL: the row <paramref name="unitAlias"/> lies in the subtree of one of <paramref name="rootIds"/> (FALSE for none).</summary>
    public static string WithinAny(DynamicParameters parameters, string prefix, string unitAlias, IReadOnlyList<string> rootIds) =>
        rootIds.Count == 0
            ? "FALSE"
            : $"EXISTS (SELECT 1 FROM org_units r WHERE r.id IN {SqlList.In(parameters, prefix, rootIds)} AND {Contains("r", unitAlias)})";
}
