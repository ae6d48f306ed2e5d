using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Storage;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// The chains keepers configure (table <c>approval_chains</c>): stored only when their shape is sound
/// (<see cref="ChainRules"/>) and every post, unit, department and escalation person they name exists
/// and is held by somebody — a chain that could never be routed is refused, not stored.
/// </summary>
public sealed class ApprovalChains(Database database, OrgDirectory organisation, TimeProvider time)
{
    public async Task<IReadOnlyList<ChainDefinition>> ListAsync(DbConnection connection, DbTransaction? transaction = null) =>
        (await connection.QueryAsync<string>("SELECT definition FROM approval_chains ORDER BY priority, name", transaction: transaction))
            .Select(ApplicationJson.Read<ChainDefinition>).ToList();

    public async Task<IReadOnlyList<ChainDefinition>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await ListAsync(connection);
    }

    public async Task<ChangeResult<ChainDefinition>> SaveAsync(string name, ChainDefinition? chain, string actor, CancellationToken cancellationToken = default)
    {
        if (chain is null)
        {
            return ChangeResult<ChainDefinition>.Invalid("chain", "send the chain definition as the body");
        }

        chain.Name = name;
        Dictionary<string, string[]> problems = ChainRules.Check(chain);
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        if (problems.Count == 0)
        {
            await CheckNamesExistAsync(chain, problems, connection);
        }

        if (problems.Count > 0)
        {
            return ChangeResult<ChainDefinition>.Invalid(problems);
        }

        await connection.ExecuteAsync(
            """
            INSERT INTO approval_chains (name, priority, definition, updated_by, updated_ms) VALUES (@name, @Priority, @definition, @actor, @now)
            ON CONFLICT (name) DO UPDATE SET priority = @Priority, definition = @definition, updated_by = @actor, updated_ms = @now
            """,
            new { name, chain.Priority, definition = ApplicationJson.Write(chain), actor, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return ChangeResult<ChainDefinition>.Ok(chain);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM approval_chains WHERE name = @name", new { name }) > 0;
    }

    /// <summary>Posts held by nobody, unknown units or departments, an escalation to nobody: each a problem of its step.</summary>
    private async Task CheckNamesExistAsync(ChainDefinition chain, Dictionary<string, string[]> problems, DbConnection connection)
    {
        List<string> units = chain.Steps.SelectMany(s => s.Departments.Append(s.UnitId ?? string.Empty)).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        IReadOnlyDictionary<string, string> known = units.Count == 0 ? new Dictionary<string, string>() : await organisation.UnitPathsAsync(connection, null, units);
        List<string> posts = chain.Steps.Select(s => s.Post).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        IReadOnlyList<PostHolder> holders = posts.Count == 0 ? [] : await organisation.PostHoldersAsync(connection, null, null, posts);
        for (int i = 0; i < chain.Steps.Count; i++)
        {
            StepDefinition step = chain.Steps[i];
            var stepProblems = new List<string>();
            foreach (string unit in step.Departments.Append(step.UnitId).OfType<string>().Where(u => !known.ContainsKey(u)))
            {
                stepProblems.Add($"no unit {unit}");
            }

            if (step.Post is { } post)
            {
                IEnumerable<PostHolder> ofPost = holders.Where(h => h.Post == post);
                if (!ofPost.Any())
                {
                    stepProblems.Add($"post {post} is held by nobody");
                }
                else if (step.Kind == StepKind.Countersign && step.Departments.FirstOrDefault(d => known.ContainsKey(d) && !ofPost.Any(h => h.UnitId == d)) is { } empty)
                {
                    stepProblems.Add($"post {post} is held by nobody in department {empty}");
                }
            }

            if (step.EscalateTo is { } person && await organisation.ActiveUserAsync(connection, null, person) is null)
            {
                stepProblems.Add($"escalateTo: no active user {person}");
            }

            if (stepProblems.Count > 0)
            {
                problems[$"steps[{i}]"] = [.. stepProblems];
            }
        }
    }
}
