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

public sealed class StepDefinition
{
    public string Name { get; set; } = "";

    public StepMode Mode { get; set; } = StepMode.AnyOf;

    /// <summary>Roles whose holders approve, in preference order: the first role that resolves to somebody is used.</summary>
    public List<string> Roles { get; set; } = [Security.Roles.Approver];

    public ApproverScope Scope { get; set; } = ApproverScope.ApplicantUnit;
}

/// <summary>An approval chain for seals of some types from a minimum level, optionally only for one unit's subtree.</summary>
public sealed class ChainDefinition
{
    public string Name { get; set; } = "";

    /// <summary>Empty: every type.</summary>
    public List<SealType> SealTypes { get; set; } = [];

    public int MinLevel { get; set; }

    /// <summary>Only for seals of this unit's subtree (null: everywhere).</summary>
    public string? UnitId { get; set; }

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

    public bool Matches(Seal seal, string sealUnitPath) =>
        (SealTypes.Count == 0 || SealTypes.Contains(seal.Type)) && seal.Level >= MinLevel && (UnitId is null || sealUnitPath.Contains("/" + UnitId + "/", StringComparison.Ordinal));
}
