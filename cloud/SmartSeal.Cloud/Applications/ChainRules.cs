namespace SmartSeal.Cloud.Applications;

/// <summary>
/// The shape of a chain definition, checked before anything is stored: a name, at least one step
/// (no empty chain), each step complete for its kind, and no cycle — no step naming the approvers
/// of an earlier step again, and no post step going back down to a level an earlier step of the
/// same post already passed.
/// </summary>
public static class ChainRules
{
    public const int MaxSteps = 12;

    public static Dictionary<string, string[]> Check(ChainDefinition chain)
    {
        var problems = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(chain.Name) || chain.Name.Length > 60)
        {
            problems["name"] = ["is required (at most 60 characters)"];
        }

        if (chain.Steps is not { Count: > 0 })
        {
            problems["steps"] = ["an empty chain approves nothing: name at least one step"];
            return problems;
        }

        if (chain.Steps.Count > MaxSteps)
        {
            problems["steps"] = [$"at most {MaxSteps} steps"];
        }

        for (int i = 0; i < chain.Steps.Count; i++)
        {
            StepDefinition? step = chain.Steps[i];
            string key = $"steps[{i}]";
            if (step is null)
            {
                problems[key] = ["a step is missing"];
                continue;
            }

            string? shape = ShapeProblem(step);
            if (shape is not null)
            {
                problems[key] = [shape];
                continue;
            }

            if (chain.Steps.Take(i).FirstOrDefault(e => e?.Name == step.Name) is not null)
            {
                problems[key] = [$"step name '{step.Name}' is used twice"];
            }
            else if (chain.Steps.Take(i).FirstOrDefault(e => e is not null && ShapeProblem(e) is null && e.Target == step.Target) is { } same)
            {
                problems[key] = [$"cyclic: step '{step.Name}' names the approvers of step '{same.Name}' again ({step.Target})"];
            }
            else if (step.Kind == StepKind.Post
                     && chain.Steps.Take(i).FirstOrDefault(e => e?.Kind == StepKind.Post && e.Post == step.Post && e.Scope == step.Scope && e.Up > step.Up) is { } higher)
            {
                problems[key] = [$"cyclic: step '{step.Name}' goes back down to level {step.Up} below step '{higher.Name}' (level {higher.Up}) for post {step.Post}"];
            }
        }

        return problems;
    }

    private static string? ShapeProblem(StepDefinition step)
    {
        if (string.IsNullOrWhiteSpace(step.Name))
        {
            return "every step needs a name";
        }

        bool hasWho = !string.IsNullOrWhiteSpace(step.Post) || step.Roles is { Count: > 0 };
        return step.Kind switch
        {
            StepKind.Post when string.IsNullOrWhiteSpace(step.Post) => "a post step names the post (职务) that approves",
            StepKind.Post when step.Up is < 0 or > 10 => "up counts levels above the unit: 0 to 10",
            StepKind.Unit when string.IsNullOrWhiteSpace(step.UnitId) => "a unit step names its unit (unitId)",
            StepKind.Unit when !hasWho => "a unit step names a post or roles",
            StepKind.Countersign when step.Departments is not { Count: > 0 } => "a countersign step names its departments",
            StepKind.Countersign when step.Departments.Distinct(StringComparer.Ordinal).Count() != step.Departments.Count => "a department is named twice",
            StepKind.Countersign when step.Mode == StepMode.Single => "a countersign step is all-of or any-of",
            StepKind.Countersign when !hasWho => "a countersign step names a post or roles",
            StepKind.Role when step.Roles is not { Count: > 0 } => "a role step names at least one role",
            _ => null,
        };
    }
}
