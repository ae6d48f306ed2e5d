using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Applications;

/// <summary>Whose role on which unit fills a step.</summary>
public enum ApproverScope
{
    /// <summary>The applicant's unit, or the nearest ancestor where someone holds the role.</summary>
    ApplicantUnit,

    /// <summary>The unit owning the seal, or its nearest ancestor with the role.</summary>
    SealUnit,
}

/// <summary>How a step names its approvers.</summary>
public enum StepKind
{
    /// <summary>Holders of a role on the scope unit or its nearest ancestor where someone holds it.</summary>
    Role,

    /// <summary>Holders of a post (职务) in the scope unit's ancestor <see cref="StepDefinition.Up"/> levels up; a vacant post goes one level higher.</summary>
    Post,

    /// <summary>Holders of a post (or else a role) in one fixed unit.</summary>
    Unit,

    /// <summary>会签: several departments in parallel, each through its holders of the post (or role); all of them or any one (<see cref="StepDefinition.Mode"/>).</summary>
    Countersign,
}

public sealed class StepDefinition
{
    public string Name { get; set; } = "";

    public StepKind Kind { get; set; } = StepKind.Role;

    public StepMode Mode { get; set; } = StepMode.AnyOf;

    /// <summary>Roles whose holders approve, in preference order: the first role that resolves to somebody is used.</summary>
    public List<string> Roles { get; set; } = [Security.Roles.Approver];

    public ApproverScope Scope { get; set; } = ApproverScope.ApplicantUnit;

    /// <summary>The post (职务) that approves (kinds Post, Unit, Countersign).</summary>
    public string? Post { get; set; }

    /// <summary>Kind Post: levels above the scope unit (0: the unit itself, 1: its parent, …).</summary>
    public int Up { get; set; }

    /// <summary>Kind Unit: the fixed unit.</summary>
    public string? UnitId { get; set; }

    /// <summary>Kind Countersign: the departments (unit ids) that sign in parallel.</summary>
    public List<string> Departments { get; set; } = [];

    /// <summary>Who an overdue step escalates to: a login; null: the same post (or role) one level higher.</summary>
    public string? EscalateTo { get; set; }

    /// <summary>Who this step names, for the cycle check and messages.</summary>
    public string Target => Kind switch
    {
        StepKind.Post => $"post {Post} {Scope} +{Up}",
        StepKind.Unit => $"{Post ?? string.Join("|", Roles)} of unit {UnitId}",
        StepKind.Countersign => $"{Post ?? string.Join("|", Roles)} of {string.Join("+", Departments.Order(StringComparer.Ordinal))}",
        _ => $"role {string.Join("|", Roles)} {Scope}",
    };
}

/// <summary>
/// An approval chain for some applications: seals of some types from a minimum level, optionally only
/// one unit's subtree, some purpose categories and amounts from a minimum (contracts over an amount
/// take a chain that goes one level higher).
/// </summary>
public sealed class ChainDefinition
{
    public string Name { get; set; } = "";

    /// <summary>Chains stored by keepers are tried in ascending priority.</summary>
    public int Priority { get; set; } = 100;

    /// <summary>Empty: every type.</summary>
    public List<SealType> SealTypes { get; set; } = [];

    public int MinLevel { get; set; }

    /// <summary>Only for seals of this unit's subtree (null: everywhere).</summary>
    public string? UnitId { get; set; }

    /// <summary>Purpose categories served ("contract", "finance"); empty: every category.</summary>
    public List<string> Purposes { get; set; } = [];

    /// <summary>Only for applications naming an amount (yuan) of at least this much; null: any.</summary>
    public long? MinAmount { get; set; }

    public List<StepDefinition> Steps { get; set; } = [];

    /// <summary>Department head (an approver of the applicant's unit), then the seal owner (an approver, else a keeper, of the seal's unit).</summary>
    public static ChainDefinition Default { get; } = new()
    {
        Name = "default",
        Steps =
        [
            new StepDefinition { Name = "department-head", Mode = StepMode.AnyOf, Roles = [Security.Roles.Approver], Scope = ApproverScope.ApplicantUnit },
            new StepDefinition { Name = "seal-owner", Mode = StepMode.AnyOf, Roles = [Security.Roles.Approver, Security.Roles.Keeper], Scope = ApproverScope.SealUnit },
        ],
    };

    public bool Matches(Seal seal, string sealUnitPath, string? category = null, long? amount = null) =>
        (SealTypes.Count == 0 || SealTypes.Contains(seal.Type)) && seal.Level >= MinLevel
        && (UnitId is null || sealUnitPath.Contains("/" + UnitId + "/", StringComparison.Ordinal))
        && (Purposes.Count == 0 || (category is not null && Purposes.Contains(category, StringComparer.Ordinal)))
        && (MinAmount is null || amount >= MinAmount);
}
