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

    /// <summary>Stores a chain; keepers (not sysadmins) only for a unit subtree they keep (<see cref="ChainDefinition.UnitId"/>), organisation-wide chains are the sysadmin's.</summary>
    public async Task<ChangeResult<ChainDefinition>> SaveAsync(string name, ChainDefinition? chain, CallerScope caller, CancellationToken cancellationToken = default)
    {
        if (chain is null)
        {
            return ChangeResult<ChainDefinition>.Invalid("chain", "send the chain definition as the body");
        }

        chain.Name = name;
        chain.Steps ??= [];
        chain.Purposes ??= [];
        chain.SealTypes ??= [];
        foreach (StepDefinition step in chain.Steps.OfType<StepDefinition>())
        {
            step.Departments ??= [];
            step.Roles ??= [];
        }

        Dictionary<string, string[]> problems = ChainRules.Check(chain);
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        (bool exists, string? storedUnit) = await StoredUnitAsync(name, connection);
        if (!await KeepsAsync(caller, chain.UnitId, connection) || (exists && !await KeepsAsync(caller, storedUnit, connection)))
        {
            return ChangeResult<ChainDefinition>.Forbidden("keepers configure chains for a unit they keep (unitId: that unit or one below it); organisation-wide chains are the sysadmin's");
        }

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
            new { name, chain.Priority, definition = ApplicationJson.Write(chain), actor = caller.Actor, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
        return ChangeResult<ChainDefinition>.Ok(chain);
    }

    public async Task<ChangeResult<string>> DeleteAsync(string name, CallerScope caller, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken);
        (bool exists, string? storedUnit) = await StoredUnitAsync(name, connection);
        if (!exists)
        {
            return ChangeResult<string>.NotFound($"no chain {name}");
        }

        if (!await KeepsAsync(caller, storedUnit, connection))
        {
            return ChangeResult<string>.Forbidden($"chain {name} is not of a unit you keep");
        }

        await connection.ExecuteAsync("DELETE FROM approval_chains WHERE name = @name", new { name });
        return ChangeResult<string>.Ok(name);
    }

    /// <summary>Whether the caller keeps <paramref name="unitId"/> (null: the whole organisation, sysadmins only).</summary>
    private async Task<bool> KeepsAsync(CallerScope caller, string? unitId, DbConnection connection)
    {
        if (caller.Everything)
        {
            return true;
        }

        return unitId is not null && (await organisation.UnitPathsAsync(connection, null, [unitId])).TryGetValue(unitId, out string? path)
            && caller.KeeperUnitIds.Any(k => path.Contains("/" + k + "/", StringComparison.Ordinal));
    }

    /// <summary>Whether a chain <paramref name="name"/> is stored, and the unit it serves.</summary>
    private static async Task<(bool Exists, string? UnitId)> StoredUnitAsync(string name, DbConnection connection) =>
        await connection.ExecuteScalarAsync<string?>("SELECT definition FROM approval_chains WHERE name = @name", new { name }) is { } json
            ? (true, ApplicationJson.Read<ChainDefinition>(json).UnitId)
            : (false, null);

    /// <summary>Posts held by nobody, unknown units or departments, an escalation to nobody: each a problem of its step.</summary>
    private async Task CheckNamesExistAsync(ChainDefinition chain, Dictionary<string, string[]> problems, DbConnection connection)
    {
        List<string> units = chain.Steps.SelectMany(s => s.Departments.Append(s.UnitId ?? string.Empty)).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        IReadOnlyDictionary<string, string> known = units.Count == 0 ? new Dictionary<string, string>() : await organisation.UnitPathsAsync(connection, null, units);
        List<string> posts = chain.Steps.Select(s => s.Post).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        IReadOnlyList<PostHolder> holders = posts.Count == 0 ? [] : await organisation.PostHoldersAsync(connection, null, null, posts);
        if (chain.UnitId is { } scopeUnit && (await organisation.UnitPathsAsync(connection, null, [scopeUnit])).Count == 0)
        {
            problems["unitId"] = [$"no unit {scopeUnit}"];
        }

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
