using Microsoft.AspNetCore.Authorization;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Portal;

/// <summary>The role policies of <see cref="Policies"/>, for the portal's cookie scheme only.</summary>
public static class PortalPolicies
{
    public const string SignedIn = "portal";
    public const string Applicant = "portal-applicant";
    public const string Approver = "portal-approver";
    public const string Keeper = "portal-keeper";
    public const string Auditor = "portal-auditor";

    /// <summary>The seal attendance board: keepers for their units, applicants for the seals they may apply for.</summary>
    public const string BoardReader = "portal-board";

    public static void Add(AuthorizationBuilder builder)
    {
        builder.AddPolicy(SignedIn, p => p.AddAuthenticationSchemes(PortalAuthentication.SchemeName).RequireAuthenticatedUser());
        builder.AddPolicy(Applicant, p => p.AddAuthenticationSchemes(PortalAuthentication.SchemeName).RequireRole(Roles.Applicant, Roles.SysAdmin));
        builder.AddPolicy(Approver, p => p.AddAuthenticationSchemes(PortalAuthentication.SchemeName).RequireRole(Roles.Approver, Roles.SysAdmin));
        builder.AddPolicy(Keeper, p => p.AddAuthenticationSchemes(PortalAuthentication.SchemeName).RequireRole(Roles.Keeper, Roles.SysAdmin));
        builder.AddPolicy(BoardReader, p => p.AddAuthenticationSchemes(PortalAuthentication.SchemeName).RequireRole(Roles.Keeper, Roles.Applicant, Roles.SysAdmin));
        builder.AddPolicy(Auditor, p => p.AddAuthenticationSchemes(PortalAuthentication.SchemeName).RequireRole(Roles.Auditor, Roles.Keeper, Roles.SysAdmin));
    }
}
