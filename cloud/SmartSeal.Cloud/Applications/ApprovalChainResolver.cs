using System.Data.Common;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// Turns a chain definition into concrete steps for one application: each step's approvers are the
/// active holders of its roles on the scope unit, or on the nearest ancestor where somebody holds
/// one (roles apply to sub-units). The applicant never approves their own application.
/// </summary>
public sealed class ApprovalChainResolver(IOptions<ApprovalOptions> options, OrgDirectory organisation)
{
    public ChainDefinition DefinitionFor(Seal seal, string sealUnitPath) =>
        options.Value.Chains.FirstOrDefault(c => c.Matches(seal, sealUnitPath)) ?? ChainDefinition.Default;

    /// <summary>The steps, or the name of the first step nobody can approve.</summary>
    public async Task<(IReadOnlyList<ApprovalStep>? Steps, string? Unresolved)> ResolveAsync(ChainDefinition chain, string applicant, string applicantUnitPath,
        string sealUnitPath, DbConnection connection, DbTransaction? transaction = null)
    {
        string PathOf(StepDefinition definition) => definition.Scope == ApproverScope.ApplicantUnit ? applicantUnitPath : sealUnitPath;

        // Every holder the chain might need, in one query: the steps' roles on every unit of both paths.
        IReadOnlyList<RoleAssignment> holders = await organisation.RoleHoldersAsync(connection, transaction,
            chain.Steps.SelectMany(d => UnitsUpwards(PathOf(d))).Distinct(StringComparer.Ordinal).ToList(),
            chain.Steps.SelectMany(d => d.Roles).Distinct(StringComparer.Ordinal).ToList());
        var steps = new List<ApprovalStep>(chain.Steps.Count);
        foreach (StepDefinition definition in chain.Steps)
        {
            List<string> approvers = Nearest(holders, definition.Roles, UnitsUpwards(PathOf(definition)), applicant);
            if (approvers.Count == 0)
            {
                return (null, definition.Name);
            }

            steps.Add(new ApprovalStep(definition.Name, definition.Mode, definition.Mode == StepMode.Single ? approvers.Take(1).ToList() : approvers));
        }

        return (steps, null);
    }

    private static string[] UnitsUpwards(string unitPath) => unitPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse().ToArray();

    /// <summary>For the first role that anybody but the applicant holds on the unit or an ancestor: its holders on the nearest such unit, by login.</summary>
    private static List<string> Nearest(IReadOnlyList<RoleAssignment> holders, IReadOnlyList<string> roles, string[] unitsUpwards, string applicant)
    {
        foreach (string role in roles)
        {
            foreach (string unit in unitsUpwards)
            {
                List<string> found = holders.Where(h => h.UnitId == unit && h.Role == role && h.Login != applicant).Select(h => h.Login).ToList();
                if (found.Count > 0)
                {
                    return found;
                }
            }
        }

        return [];
    }
}
