namespace SmartSeal.Cloud.Organisation.Authorization;

/// <summary>
/// One module's answer to "which unit owns this object": the Devices module for devices, Checkouts
/// for checkouts... so the authority needs no SQL on other modules' tables.
/// </summary>
public interface IObjectUnits
{
    ObjectKind Kind { get; }

    /// <summary>Null when there is no such object; otherwise its owning unit (<see cref="ObjectUnit.UnitId"/> null: owned by no unit, sysadmins only).</summary>
    Task<ObjectUnit?> FindAsync(string id, CancellationToken cancellationToken);
}

/// <summary>The unit that owns an object, or null for an object assigned to no unit.</summary>
public sealed record ObjectUnit(string? UnitId)
{
    /// <summary>
    /// The value cannot name an object of this kind (a malformed hash): nothing can be found or
    /// touched with it, so the endpoint answers its own 400 rather than a misleading 404.
    /// </summary>
    public static readonly ObjectUnit Malformed = new((string?)null);
}
