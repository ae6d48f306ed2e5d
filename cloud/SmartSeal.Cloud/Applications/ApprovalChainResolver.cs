using System.Data.Common;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// Turns a chain definition into concrete steps for one application. A role step takes the active
/// holders of its roles on the scope unit, or on the nearest ancestor where somebody holds one (roles
/// apply to sub-units). A post step takes the holders of a post (职务) in the unit some levels above the
/// applicant's (or seal's) unit; a vacant post goes one level higher, and the step records it. A unit
/// step names a fixed unit; a countersign step several departments. The applicant never approves
/// their own application: when only they hold a post, the step goes higher as if it were vacant.
/// </summary>
public sealed class ApprovalChainResolver(IOptions<ApprovalOptions> options, OrgDirectory organisation)
{
    /// <summary>The first chain (stored ones first, then the configured ones) serving this application; the default when none does.</summary>
    public ChainDefinition DefinitionFor(IEnumerable<ChainDefinition> stored, Seal seal, string sealUnitPath, string? category, long? amount) =>
        stored.Concat(options.Value.Chains).FirstOrDefault(c => c.Matches(seal, sealUnitPath, category, amount)) ?? ChainDefinition.Default;

    /// <summary>The steps, or the name of the first step nobody can approve.</summary>
    public async Task<(IReadOnlyList<ApprovalStep>? Steps, string? Unresolved)> ResolveAsync(ChainDefinition chain, string applicant, string applicantUnitPath,
        string sealUnitPath, DbConnection connection, DbTransaction? transaction = null)
    {
        var steps = new List<ApprovalStep>(chain.Steps.Count);
        foreach (StepDefinition definition in chain.Steps)
        {
            string[] upwards = UnitsUpwards(definition.Scope == ApproverScope.ApplicantUnit ? applicantUnitPath : sealUnitPath);
            ApprovalStep? step = definition.Kind switch
            {
                StepKind.Post => await WalkAsync(definition.Name, definition.Mode, definition.Post, [], upwards.Skip(definition.Up).ToArray(), applicant, connection, transaction),
                StepKind.Unit => await WalkAsync(definition.Name, definition.Mode, definition.Post, definition.Roles,
                    await UpwardsFromAsync(definition.UnitId!, connection, transaction), applicant, connection, transaction),
                StepKind.Countersign => await CountersignAsync(definition, applicant, connection, transaction),
                _ => await RoleStepAsync(definition, upwards, applicant, connection, transaction),
            };
            if (step is null)
            {
                return (null, definition.Name);
            }

            steps.Add(step with { EscalateTo = definition.EscalateTo });
        }

        return (steps, null);
    }

    /// <summary>
    /// The holders of <paramref name="post"/> (or else the first of <paramref name="roles"/>) on the first of
    /// <paramref name="unitsUpwards"/> where anybody but the applicant holds it; every unit passed over is noted.
    /// Null when nobody holds it up to the root.
    /// </summary>
    public async Task<ApprovalStep?> WalkAsync(string name, StepMode mode, string? post, IReadOnlyList<string> roles, string[] unitsUpwards, string applicant,
        DbConnection connection, DbTransaction? transaction)
    {
        if (unitsUpwards.Length == 0)
        {
            return null;
        }

        Dictionary<string, List<string>> holders = await HoldersAsync(post, roles, unitsUpwards, connection, transaction);
        var notes = new List<string>();
        foreach (string unit in unitsUpwards)
        {
            List<string> found = holders.GetValueOrDefault(unit, []).Where(l => l != applicant).ToList();
            if (found.Count > 0)
            {
                return new ApprovalStep(name, mode, mode == StepMode.Single ? found.Take(1).ToList() : found,
                    Post: post, Roles: post is null ? roles : null, UnitId: unit, Notes: notes.Count > 0 ? notes : null);
            }

            notes.Add(holders.ContainsKey(unit)
                ? $"{post ?? string.Join("|", roles)} of {unit} is held only by the applicant: went one level up"
                : $"{post ?? string.Join("|", roles)} of {unit} is vacant: went one level up");
        }

        return null;
    }

    /// <summary>Who holds the step's post in <paramref name="unitId"/> now, applicant left out; null for a step not routed by post (roles do not move with people).</summary>
    public async Task<IReadOnlyList<string>?> CurrentHoldersAsync(ApprovalStep step, string unitId, string applicant, DbConnection connection, DbTransaction? transaction)
    {
        if (step.Post is null)
        {
            return null;
        }

        Dictionary<string, List<string>> holders = await HoldersAsync(step.Post, [], [unitId], connection, transaction);
        return holders.GetValueOrDefault(unitId, []).Where(l => l != applicant).ToList();
    }

    /// <summary>The unit and its ancestors, nearest first; empty for an unknown unit.</summary>
    public async Task<string[]> UpwardsFromAsync(string unitId, DbConnection connection, DbTransaction? transaction) =>
        (await organisation.UnitPathsAsync(connection, transaction, [unitId])).TryGetValue(unitId, out string? path) ? UnitsUpwards(path) : [];

    public static string[] UnitsUpwards(string unitPath) => unitPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse().ToArray();

    private async Task<Dictionary<string, List<string>>> HoldersAsync(string? post, IReadOnlyList<string> roles, IReadOnlyList<string> units,
        DbConnection connection, DbTransaction? transaction)
    {
        if (post is not null)
        {
            return (await organisation.PostHoldersAsync(connection, transaction, units, [post]))
                .GroupBy(h => h.UnitId).ToDictionary(g => g.Key, g => g.Select(h => h.Login).ToList(), StringComparer.Ordinal);
        }

        IReadOnlyList<RoleAssignment> assignments = await organisation.RoleHoldersAsync(connection, transaction, units, roles);
        // The first role (in preference order) anybody holds on a unit is that unit's.
        return assignments.GroupBy(a => a.UnitId).ToDictionary(
            g => g.Key,
            g => g.Where(a => a.Role == roles.First(r => g.Any(x => x.Role == r))).Select(a => a.Login).ToList(),
            StringComparer.Ordinal);
    }

    private async Task<ApprovalStep?> CountersignAsync(StepDefinition definition, string applicant, DbConnection connection, DbTransaction? transaction)
    {
        Dictionary<string, List<string>> holders = await HoldersAsync(definition.Post, definition.Roles, definition.Departments, connection, transaction);
        var parts = new List<StepPart>(definition.Departments.Count);
        foreach (string department in definition.Departments)
        {
            List<string> signers = holders.GetValueOrDefault(department, []).Where(l => l != applicant).ToList();
            if (signers.Count == 0)
            {
                return null;
            }

            parts.Add(new StepPart(department, signers));
        }

        return new ApprovalStep(definition.Name, definition.Mode == StepMode.AllOf ? StepMode.AllOf : StepMode.AnyOf,
            parts.SelectMany(p => p.Approvers).Distinct(StringComparer.Ordinal).ToList(), parts, definition.Post, definition.Post is null ? definition.Roles : null);
    }

    /// <summary>For the first role that anybody but the applicant holds on the unit or an ancestor: its holders on the nearest such unit, by login.</summary>
    private async Task<ApprovalStep?> RoleStepAsync(StepDefinition definition, string[] unitsUpwards, string applicant, DbConnection connection, DbTransaction? transaction)
    {
        IReadOnlyList<RoleAssignment> holders = await organisation.RoleHoldersAsync(connection, transaction, unitsUpwards, definition.Roles);
        foreach (string role in definition.Roles)
        {
            foreach (string unit in unitsUpwards)
            {
                List<string> found = holders.Where(h => h.UnitId == unit && h.Role == role && h.Login != applicant).Select(h => h.Login).ToList();
                if (found.Count > 0)
                {
                    return new ApprovalStep(definition.Name, definition.Mode, definition.Mode == StepMode.Single ? found.Take(1).ToList() : found, Roles: [role], UnitId: unit);
                }
            }
        }

        return null;
    }
}
