namespace SmartSeal.Cloud.Organisation.Authorization;

/// <summary>
/// The authority's answer. <see cref="NotFound"/> when the caller may not even see the object (or
/// it does not exist): the API answers 404 for both, so a caller cannot probe other units for ids.
/// <see cref="Forbidden"/> when they see it (some role on its unit) but lack the right to act: 403.
/// </summary>
public enum UnitDecision
{
    Allowed,
    Forbidden,
    NotFound,
}
