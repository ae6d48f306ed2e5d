using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// Turns a chain definition into concrete steps for one application: each step's approvers are the
/// active holders of its roles on the scope unit, or on the nearest ancestor where somebody holds
/// one (roles apply to sub-units). The applicant never approves their own application.
/// </summary>
public sealed class ApprovalChainResolver(IOptions<ApprovalOptions> options)
{
    public ChainDefinition DefinitionFor(Seal seal, string sealUnitPath) =>
        options.Value.Chains.FirstOrDefault(c => c.Matches(seal, sealUnitPath)) ?? ChainDefinition.Default;

    /// <summary>The steps, or the name of the first step nobody can approve.</summary>
    public async Task<(IReadOnlyList<ApprovalStep>? Steps, string? Unresolved)> ResolveAsync(ChainDefinition chain, string applicant, string applicantUnitPath,
        string sealUnitPath, DbConnection connection, DbTransaction? transaction = null)
    {
        var steps = new List<ApprovalStep>(chain.Steps.Count);
        foreach (StepDefinition definition in chain.Steps)
        {
            string path = definition.Scope == ApproverScope.ApplicantUnit ? applicantUnitPath : sealUnitPath;
            List<string> approvers = await HoldersAsync(definition.Roles, path, applicant, connection, transaction);
            if (approvers.Count == 0)
            {
                return (null, definition.Name);
            }

            steps.Add(new ApprovalStep(definition.Name, definition.Mode, definition.Mode == StepMode.Single ? approvers.Take(1).ToList() : approvers));
        }

        return (steps, null);
    }

    private static async Task<List<string>> HoldersAsync(IReadOnlyList<string> roles, string unitPath, string applicant, DbConnection connection, DbTransaction? transaction)
    {
        string[] unitsUpwards = unitPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse().ToArray();
        foreach (string role in roles)
        {
            foreach (string unit in unitsUpwards)
            {
                List<string> holders = (await connection.QueryAsync<string>(
                    """
                    SELECT r.login FROM role_assignments r JOIN users u ON u.login = r.login
                    WHERE r.unit_id = @unit AND r.role = @role AND u.active = TRUE AND r.login <> @applicant ORDER BY r.login
                    """,
                    new { unit, role, applicant }, transaction)).ToList();
                if (holders.Count > 0)
                {
                    return holders;
                }
            }
        }

        return [];
    }
}
